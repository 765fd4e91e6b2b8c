import ArgumentParser
import WSTapNetwork

/// `--ca` and `--insecure`: how a client verifies a wss:// server.
struct ClientTLSFlags: ParsableArguments {
    @Option(
        name: [.customLong("ca"), .customLong("cacert", withSingleDash: false)],
        help: "A PEM file of CA certificates to trust for wss://, besides the system's (curl's --cacert too).")
    var ca: String?

    @Flag(name: [.customShort("k"), .long], help: "Do not verify the server's certificate (insecure; for testing).")
    var insecure = false

    /// The client's TLS settings.
    var options: ClientTLSOptions { ClientTLSOptions(extraCAFile: ca, insecureSkipVerification: insecure) }
}
