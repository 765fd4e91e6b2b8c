/// Why a connection refused to send something.
public struct ConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What cannot be sent, and why, in one line.
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    /// The closing handshake has started (or the connection is closed): nothing more can be sent.
    public static let closing = ConnectionError("the connection is closing or closed: nothing more can be sent")
    /// A binary payload on hybi-00, which carries text only.
    public static let hybi00Binary = ConnectionError("hybi-00 carries text only: binary payloads cannot be sent")
    /// A fragment (or a streamed send) on hybi-00, which has no fragmentation.
    public static let hybi00Fragments = ConnectionError("hybi-00 cannot fragment messages")
    /// A ping or pong on hybi-00, which has neither.
    public static let hybi00Control = ConnectionError("hybi-00 has no ping or pong frames")
    /// A ping (or another control frame) with more than 125 payload bytes (RFC 6455 5.5).
    public static let controlTooLong = ConnectionError("a control frame payload is at most 125 bytes")
    /// A `.continuation` frame with no fragmented message in progress to continue.
    public static let noMessageOpen = ConnectionError("a continuation frame needs a fragmented message in progress")
    /// A new message while a fragmented one (or a streamed send) is still open: finish it first.
    public static let messageStillOpen = ConnectionError(
        "a fragmented message is still open: finish it with continuation frames")
    /// `receiveStream()` on hybi-00, which cannot stream a message: it is received whole.
    public static let hybi00Streaming = ConnectionError(
        "hybi-00 cannot stream a message: receive it whole")
    /// A text message whose bytes are not valid UTF-8.
    public static let notUTF8 = ConnectionError("a text message must be valid UTF-8")
    /// A close frame was given to a frame send: closing goes through the closing handshake.
    public static let closeThroughSend = ConnectionError(
        "a close frame cannot be sent as a frame: close the connection with close(code:reason:)")

    /// `send` takes data frames only: text, binary and continuation.
    public static func notADataFrame(_ opcode: Opcode) -> ConnectionError {
        ConnectionError(
            "send takes text, binary and continuation frames, not \(opcode.name): close with close(code:reason:), "
                + "ping with ping(_:)")
    }

    /// A reserved opcode (3-7, 11-15) has no meaning to send.
    public static func reservedOpcode(_ opcode: Opcode) -> ConnectionError {
        ConnectionError("opcode \(opcode.rawValue) is reserved (RFC 6455 5.2): nothing can be sent with it")
    }

    /// A close code that RFC 6455 7.4 does not let an endpoint send.
    public static func closeCodeNotAllowed(_ code: CloseCode) -> ConnectionError {
        ConnectionError(
            "close code \(code) may not be sent in a close frame (RFC 6455 7.4): use 1000-1003, 1007-1014 or "
                + "3000-4999")
    }
}
