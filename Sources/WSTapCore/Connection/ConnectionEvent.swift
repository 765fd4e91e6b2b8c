public import NIOCore

/// What a connection hands to its user.
public enum ConnectionEvent: Sendable {
    /// A whole message.
    case message(Message)
    /// A piece of a message being streamed (after ``ConnectionStateMachine/streamNextMessage()``): the bytes of
    /// a frame, or of part of a frame, as they arrived; `isFinal` on the last piece. Frames reported with
    /// ``frameReceived(_:)`` then carry only the bytes that had not been passed on already.
    case messageChunk(MessageChunk)
    /// A ping arrived (it has been answered).
    case ping(ByteBuffer)
    /// A pong arrived.
    case pong(ByteBuffer)
    /// A frame arrived, as decoded (only with ``ConnectionConfiguration/reportsFrames``).
    case frameReceived(DecodedFrame)
    /// A hybi-00 frame arrived, as decoded (only with ``ConnectionConfiguration/reportsFrames``).
    case hybi00FrameReceived(Hybi00Frame)
    /// A keepalive ping this end sent was answered: the time from sending the ping to receiving its pong.
    case keepaliveRoundTrip(Duration)
    /// The connection is closed; nothing more will come.
    case closed(CloseOutcome)
}
