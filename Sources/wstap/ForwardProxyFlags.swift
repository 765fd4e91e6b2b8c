import ArgumentParser
import WSTapCore
import WSTapInspect
import WSTapNetwork
import WSTapProxy
import WSTapRuntime

/// The `wstap proxy` options of forward mode (no `--upstream`), and running it.
struct ForwardProxyFlags: ParsableArguments {
    @Option(
        name: .customLong("pass-through"),
        help: ArgumentHelp(
            "Forward mode: tunnel CONNECTs to matching hosts untouched (no TLS interception). Repeatable.",
            valueName: "glob"))
    var passThrough: [String] = []

    @OptionGroup var ca: CADirectoryOption

    /// A stand-in for the relay options' upstream: in forward mode each request names its own server.
    static func unusedUpstream() throws -> WebSocketURL {
        try WebSocketURL("ws://127.0.0.1/")
    }

    /// Starts the forward proxy (making the CA first when its folder has none).
    func start(relay: ProxyOptions, listen: ListenAddress) async throws -> (ForwardProxy, CertificateAuthority) {
        let authority = try ca.loadOrCreate()
        let options = ForwardProxyOptions(
            relay: relay, certificateAuthority: authority, passThrough: passThrough.map(HostPattern.init))
        do {
            return (try await ForwardProxy.start(host: listen.host, port: listen.port, options: options), authority)
        } catch {
            throw CommandFailure("cannot listen on \(listen): \(NetworkErrorText.describe(error))")
        }
    }

    /// Runs the forward proxy until it stops (Ctrl-C or TERM stop it: the control socket is removed).
    func run(relay: ProxyOptions, listen: ListenAddress, control: String?, output: EventOutput) async throws {
        let (proxy, authority) = try await start(relay: relay, listen: listen)
        if listen.host == "0.0.0.0" || listen.host == "::" {
            output.warning("listening on all interfaces; anyone who can reach this machine can use the proxy")
        }
        var controlServer: ProxyControlServer?
        if let control {
            do {
                controlServer = try await ProxyControlServer.start(path: control, controller: proxy.controller)
            } catch {
                try? await proxy.stop()
                throw CommandFailure("--control: cannot listen on \(control): \(NetworkErrorText.describe(error))")
            }
        }
        output.listening(
            ListeningEvent(
                mode: .forwardProxy, address: proxy.localAddress?.hostAndPortText ?? listen.description,
                caCertificate: authority.certificatePath, caCreated: authority.wasCreated, control: control,
                at: SessionClock.now()))
        let signals = TerminationSignals { _ in Task { try? await proxy.stop() } }
        defer { signals.cancel() }
        try await proxy.waitUntilStopped()
        try? await controlServer?.stop()
    }
}
