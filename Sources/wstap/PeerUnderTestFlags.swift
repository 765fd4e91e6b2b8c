import ArgumentParser
import WSTapRuntime

/// The peer `wstap conformance` and `wstap fuzz` test: a server's URL, or `--listen` for a client; `--ca` and
/// `--insecure` for a wss:// server.
struct PeerUnderTestFlags: ParsableArguments {
    @Argument(help: "The server: ws[s]://host:port/path (or --listen to test a client).") var url: String?
    @Option(
        help: "Test a client: listen on host:port and run a case on each connection it opens.",
        transform: ListenAddress.parse)
    var listen: ListenAddress?
    @OptionGroup var clientTLS: ClientTLSFlags

    /// The peer the flags name.
    var peer: PeerUnderTest { PeerUnderTest(url: url, listen: listen, tls: clientTLS.options) }
}
