import ArgumentParser
import WSTapNetwork

/// `--ca` and `--insecure`: how a client verifies a wss:// server.
struct ClientTLSFlags: ParsableArguments {
    @Option(help: "A PEM file of CA certificates to trust for wss://, besides the system's.") var ca: String?
    @Flag(help: "Do not verify the server's certificate (insecure; for testing).") var insecure = false

    /// The client's TLS settings.
    var options: ClientTLSOptions { ClientTLSOptions(extraCAFile: ca, insecureSkipVerification: insecure) }
}
