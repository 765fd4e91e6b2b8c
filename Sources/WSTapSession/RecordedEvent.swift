public import NIOCore
public import WSTapCore

/// One event read back from a recording.
public struct RecordedEvent: Sendable {
    /// The event's position: 0 for the first event after the header.
    public var index: Int
    /// The line it is on in the file (the header is line 1).
    public var lineNumber: Int
    /// What happened. A frame's payload is whole (taken from its wire bytes), whatever the proxy's
    /// capture limit was when it was recorded.
    public var event: TrafficEvent
    /// The exact bytes on the wire for a frame or raw bytes; `nil` for other events and for a frame
    /// made by the user whose bytes were not recorded.
    public var wireBytes: ByteBuffer?

    /// An event read from line `lineNumber`, the `index`-th after the header.
    public init(index: Int, lineNumber: Int, event: TrafficEvent, wireBytes: ByteBuffer?) {
        self.index = index
        self.lineNumber = lineNumber
        self.event = event
        self.wireBytes = wireBytes
    }
}
