public import WSTapCore
public import WSTapExport

/// What came back when a recorded client was played against a server.
public struct ClientReplayResult: Sendable {
    /// The server's handshake response.
    public var response: HTTPResponseHead
    /// Every message and control frame the server sent, in order.
    public var replies: [RecordedMessage]
    /// How many of the recorded client frames (and leftover byte runs) were sent.
    public var sentCount: Int
    /// Whether the server ended the TCP connection before the replay was done.
    public var serverEndedEarly: Bool
    /// Expected replies that did not come within the timeout, if any wait ran out.
    public var timedOut: Bool

    /// A result from its parts.
    public init(
        response: HTTPResponseHead, replies: [RecordedMessage], sentCount: Int, serverEndedEarly: Bool,
        timedOut: Bool
    ) {
        self.response = response
        self.replies = replies
        self.sentCount = sentCount
        self.serverEndedEarly = serverEndedEarly
        self.timedOut = timedOut
    }
}
