public import WSTapCore
public import WSTapNetwork

/// How ``ClientReplayer`` plays a recorded client.
public struct ClientReplayOptions: Sendable {
    /// Where to connect. Its path, when not `/`, replaces the recorded request target.
    public var target: WebSocketURL
    /// How much faster than recorded to send (2 = twice as fast); `nil` sends without waiting.
    public var speed: Double?
    /// Send each frame only after the replies that preceded it in the recording have arrived (or
    /// ``replyTimeout`` passed), instead of following the recorded timing.
    public var waitsForReplies: Bool
    /// Send masked frames with their recorded keys instead of fresh ones, and the opening handshake with
    /// the recorded keys (`Sec-WebSocket-Key`, or hybi-00's key headers and 8 key bytes).
    public var keepsMasks: Bool
    /// How long to wait for expected replies (before a frame with ``waitsForReplies``, and at the end).
    public var replyTimeout: Duration
    /// Trust settings for `wss://`.
    public var tls: ClientTLSOptions
    /// A consumer of the events that can fall behind (the recorder): while it is behind, the replayer stops
    /// reading the server's replies, until it catches up. `nil` by default.
    public var backpressure: (any TrafficBackpressure)?

    /// Options that replay to `target` at the recorded pace, with fresh masking keys, waiting up to 5 seconds
    /// for the replies at the end, unless told otherwise.
    public init(
        target: WebSocketURL, speed: Double? = 1, waitsForReplies: Bool = false, keepsMasks: Bool = false,
        replyTimeout: Duration = .seconds(5), tls: ClientTLSOptions = ClientTLSOptions()
    ) {
        self.target = target
        self.speed = speed
        self.waitsForReplies = waitsForReplies
        self.keepsMasks = keepsMasks
        self.replyTimeout = replyTimeout
        self.tls = tls
    }
}
