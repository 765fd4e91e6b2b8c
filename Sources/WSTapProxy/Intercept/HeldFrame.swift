public import NIOCore
public import WSTapCore

/// A frame intercept holds, waiting for a ``HoldDecision``.
public struct HeldFrame: Sendable {
    /// The id decisions name it by.
    public var holdID: UInt64
    /// The frame as the tap saw it (payload capped like every event's).
    public var frame: TrafficEvent.FrameSeen
    /// The frame's exact bytes as the sender wrote them.
    public var wireBytes: ByteBuffer

    /// A held frame with its id, as seen and as written.
    public init(holdID: UInt64, frame: TrafficEvent.FrameSeen, wireBytes: ByteBuffer) {
        self.holdID = holdID
        self.frame = frame
        self.wireBytes = wireBytes
    }
}
