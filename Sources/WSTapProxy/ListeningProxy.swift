public import NIOCore
import WSTapNetwork

/// A proxy that was started, reverse (``ReverseProxy``) or forward (``ForwardProxy``): its listening socket
/// and the controls of the connections it relays. Stopping it closes the listening socket only; connections
/// in progress go on.
public final class ListeningProxy: Sendable {
    private let listener: TCPListener
    /// Intercept, inject, close and framing controls for the WebSocket connections it relays.
    public let controller: ProxyController

    /// The address it listens on.
    public var localAddress: SocketAddress? { listener.localAddress }
    /// The port it listens on.
    public var port: Int { listener.port }

    init(listener: TCPListener, controller: ProxyController) {
        self.listener = listener
        self.controller = controller
    }

    /// Waits until the proxy stops listening.
    public func waitUntilStopped() async throws {
        try await listener.waitUntilStopped()
    }

    /// Stops listening (connections in progress go on).
    public func stop() async throws {
        try await listener.stop()
    }
}
