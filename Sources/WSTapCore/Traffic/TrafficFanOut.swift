public import NIOCore

/// Several consumers as one: every event and every chunk of bytes goes to each, in the order given.
public struct TrafficFanOut: TrafficConsumer {
    /// The consumers, in the order they hear of each event.
    public let consumers: [any TrafficConsumer]

    /// All of `consumers` as one consumer.
    public init(_ consumers: [any TrafficConsumer]) {
        self.consumers = consumers
    }

    /// All of `consumers` as one consumer, without a fan-out's step on every event when there is just one.
    public static func combining(_ consumers: [any TrafficConsumer]) -> any TrafficConsumer {
        consumers.count == 1 ? consumers[0] : TrafficFanOut(consumers)
    }

    /// Whether any of the consumers reads messages.
    public var wantsMessages: Bool { consumers.contains { $0.wantsMessages } }

    /// Passes the event to each consumer in turn.
    public func consume(_ event: TrafficEvent) {
        for consumer in consumers { consumer.consume(event) }
    }

    /// Passes the bytes to each consumer in turn.
    public func consumeStreamBytes(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection) {
        for consumer in consumers { consumer.consumeStreamBytes(bytes, connection: connection, direction: direction) }
    }
}
