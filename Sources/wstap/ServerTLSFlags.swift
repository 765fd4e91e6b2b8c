import ArgumentParser
import WSTapNetwork

/// `--tls-cert` and `--tls-key`: serve wss://.
struct ServerTLSFlags: ParsableArguments {
    @Option(help: "PEM certificate chain: serve wss:// (with --tls-key).") var tlsCert: String?
    @Option(help: "PEM private key for --tls-cert.") var tlsKey: String?

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    /// The server's TLS settings, when both were given.
    var options: ServerTLSOptions? {
        tlsCert.flatMap { cert in tlsKey.map { ServerTLSOptions(certificateChainFile: cert, privateKeyFile: $0) } }
    }
}
