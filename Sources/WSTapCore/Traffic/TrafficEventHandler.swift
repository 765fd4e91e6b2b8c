public import NIOCore

/// A consumer made of closures: for a printer, a test's log, a callback of the caller's.
public struct TrafficEventHandler: TrafficConsumer {
    private let events: @Sendable (TrafficEvent) -> Void
    private let streamBytes: @Sendable (ByteBuffer, UInt64, TrafficDirection) -> Void
    /// Whether the closure wants message events too (see ``TrafficConsumer/wantsMessages``).
    public let wantsMessages: Bool

    /// Calls `events` with every event (message events too when `wantsMessages`) and, when given,
    /// `streamBytes` with every chunk of bytes (and the connection and direction they passed on).
    public init(
        wantsMessages: Bool = false,
        streamBytes:
            @escaping @Sendable (_ bytes: ByteBuffer, _ connection: UInt64, _ direction: TrafficDirection) ->
            Void = { _, _, _ in },
        events: @escaping @Sendable (TrafficEvent) -> Void
    ) {
        self.events = events
        self.streamBytes = streamBytes
        self.wantsMessages = wantsMessages
    }

    /// Calls the event closure.
    public func consume(_ event: TrafficEvent) {
        events(event)
    }

    /// Calls the bytes closure.
    public func consumeStreamBytes(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection) {
        streamBytes(bytes, connection, direction)
    }
}
