public import NIOCore
public import WSTapCore

extension SessionRecorder: TrafficConsumer {
    /// Records the event (``record(_:)``).
    public func consume(_ event: TrafficEvent) {
        record(event)
    }

    /// Records the bytes as they passed (``recordStreamBytes(_:connection:direction:)``).
    public func consumeStreamBytes(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection) {
        recordStreamBytes(bytes, connection: connection, direction: direction)
    }
}
