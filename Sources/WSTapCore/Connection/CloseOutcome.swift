/// How a connection ended.
public struct CloseOutcome: Hashable, Sendable {
    /// Which side sent the first close frame, if any did.
    public var initiator: EndpointRole?
    /// The status code in the peer's close frame (`nil`: none received, or no code in it).
    public var receivedCode: CloseCode?
    /// The reason in the peer's close frame.
    public var receivedReason: String
    /// The status code this end sent, if it sent a close frame.
    public var sentCode: CloseCode?
    /// Whether both close frames were exchanged before the TCP connection ended.
    public var wasClean: Bool
    /// Why the connection failed, when it did (a protocol violation, a timeout, a lost connection).
    public var failure: String?

    /// An outcome; by default nothing was exchanged and the connection did not close cleanly.
    public init(
        initiator: EndpointRole? = nil, receivedCode: CloseCode? = nil, receivedReason: String = "",
        sentCode: CloseCode? = nil, wasClean: Bool = false, failure: String? = nil
    ) {
        self.initiator = initiator
        self.receivedCode = receivedCode
        self.receivedReason = receivedReason
        self.sentCode = sentCode
        self.wasClean = wasClean
        self.failure = failure
    }
}
