public import NIOCore

/// Anything that takes in the traffic of connections: the recorder, the terminal UI's inbox, the line and
/// JSON-lines printers, statistics, and later lenses and rules. Every source of traffic (the proxies,
/// `connect`, `serve`, the mock server, the client replayer) publishes through this one interface, so a
/// consumer written once works for all of them.
///
/// Sources call it on their event loop, in order, for every connection: it must not block (hand slow work
/// to a queue of its own) and must not keep the event loop waiting on a lock held elsewhere for long.
public protocol TrafficConsumer: Sendable {
    /// One event: a connection opened or closed, a frame, a message, a note.
    func consume(_ event: TrafficEvent)

    /// The bytes that passed one way on one connection, exactly as they passed, before the events they
    /// make (for a recording that keeps every byte, beyond the capture limit of the events).
    func consumeStreamBytes(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection)

    /// Whether it reads ``TrafficEvent/message(_:)`` events. Joining frames into messages costs work on
    /// every data frame, so sources join them only for consumers that ask (lenses, say); the frames are
    /// reported either way.
    var wantsMessages: Bool { get }
}

extension TrafficConsumer {
    /// Most consumers read the events only.
    public func consumeStreamBytes(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection) {}

    /// Most consumers read frames, not messages.
    public var wantsMessages: Bool { false }
}
