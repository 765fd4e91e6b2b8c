/// Why a connection refused to send something.
public struct ConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    public static let closing = ConnectionError("the connection is closing or closed: nothing more can be sent")
    public static let hybi00Binary = ConnectionError("hybi-00 carries text only: binary payloads cannot be sent")
    public static let hybi00Fragments = ConnectionError("hybi-00 cannot fragment messages")
    public static let hybi00Control = ConnectionError("hybi-00 has no ping or pong frames")
    public static let controlTooLong = ConnectionError("a control frame payload is at most 125 bytes")
    public static let noMessageOpen = ConnectionError("a continuation frame needs a fragmented message in progress")
    public static let messageStillOpen = ConnectionError(
        "a fragmented message is still open: finish it with continuation frames")
    public static let hybi00Streaming = ConnectionError(
        "hybi-00 cannot stream a message: receive it whole")
    public static let notUTF8 = ConnectionError("a text message must be valid UTF-8")
}
