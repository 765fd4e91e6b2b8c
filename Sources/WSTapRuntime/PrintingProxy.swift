public import NIOCore
import WSTapProxy
import WSTapSession

/// A proxy started by ``ProxyRun/start(printing:)``: it relays and prints until ``stop()``.
public final class PrintingProxy: Sendable {
    private let proxy: ListeningProxy
    private let controlServer: ProxyControlServer?
    private let recorder: SessionRecorder?
    private let finish: @Sendable () -> Void

    init(
        proxy: ListeningProxy, controlServer: ProxyControlServer?, recorder: SessionRecorder?,
        finish: @escaping @Sendable () -> Void = {}
    ) {
        self.proxy = proxy
        self.controlServer = controlServer
        self.recorder = recorder
        self.finish = finish
    }

    /// The address it listens on.
    public var localAddress: SocketAddress? { proxy.localAddress }

    /// The port it listens on.
    public var port: Int { proxy.port }

    /// Stops listening and closes the connections; ``waitUntilStopped()`` then returns.
    public func stop() async {
        try? await proxy.stop()
    }

    /// Returns once the proxy has stopped, its control socket removed and its recording finished.
    public func waitUntilStopped() async throws {
        defer { recorder?.close() }
        defer { finish() }
        try await proxy.waitUntilStopped()
        try? await controlServer?.stop()
    }
}
