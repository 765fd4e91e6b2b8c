import NIOCore
import WSTapCore

/// What ``ClientOptions`` and ``ServerOptions`` both say about how each connection is handled once it is
/// open: limits, timers, keepalive, streaming and the observers of its traffic.
protocol ConnectionHandlingOptions {
    var maxMessageSize: Int { get }
    var closeTimeout: TimeAmount { get }
    var idleTimeout: TimeAmount? { get }
    var reportsFrames: Bool { get }
    var keepaliveInterval: TimeAmount? { get }
    var wireObserver: ConnectionWireObserverFactory? { get }
    var answerGrace: TimeAmount { get }
    var streamBufferSize: Int { get }
    var backpressure: (any TrafficBackpressure)? { get }
}

extension ClientOptions: ConnectionHandlingOptions {}

extension ServerOptions: ConnectionHandlingOptions {}

extension WebSocketChannelHandler.Settings {
    /// The settings a client's or a server's options give each of its connections.
    init(_ options: some ConnectionHandlingOptions) {
        self.init(
            maxMessageSize: options.maxMessageSize, closeTimeout: options.closeTimeout,
            idleTimeout: options.idleTimeout, reportsFrames: options.reportsFrames,
            keepaliveInterval: options.keepaliveInterval, wireObserver: options.wireObserver,
            answerGrace: options.answerGrace, streamBufferSize: options.streamBufferSize,
            backpressure: options.backpressure)
    }
}
