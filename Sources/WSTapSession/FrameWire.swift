import NIOCore

/// Where a recorded frame's (or raw event's) exact wire bytes are.
enum FrameWire {
    /// In the line itself.
    case inline(ByteBuffer)
    /// In the side file at this offset (the line gives the length).
    case sideFile(offset: UInt64, length: Int)
    /// Not recorded (a frame made by the user whose bytes are not whole in the event).
    case missing
}
