import NIOCore
import WSTapProxy

/// What the runs need of a proxy that listens, reverse or forward.
protocol ListeningProxy: Sendable {
    /// Intercept, inject, close and framing on the proxy's connections.
    var controller: ProxyController { get }
    /// The address it listens on.
    var localAddress: SocketAddress? { get }
    /// Stops listening and closes its connections.
    func stop() async throws
    /// Returns once the proxy has stopped.
    func waitUntilStopped() async throws
}

extension ReverseProxy: ListeningProxy {}
extension ForwardProxy: ListeningProxy {}
