public import NIOCore

/// What a connection hands to its user.
public enum ConnectionEvent: Sendable {
    /// A whole message.
    case message(Message)
    /// A ping arrived (it has been answered).
    case ping(ByteBuffer)
    /// A pong arrived.
    case pong(ByteBuffer)
    /// A frame arrived, as decoded (only with ``ConnectionConfiguration/reportsFrames``).
    case frameReceived(DecodedFrame)
    /// A hybi-00 frame arrived, as decoded (only with ``ConnectionConfiguration/reportsFrames``).
    case hybi00FrameReceived(Hybi00Frame)
    /// The connection is closed; nothing more will come.
    case closed(CloseOutcome)
}
