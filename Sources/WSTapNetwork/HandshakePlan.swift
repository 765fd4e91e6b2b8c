import WSTapCore

/// What one side of the opening handshake sends and expects.
enum HandshakePlan: Sendable {
    /// A client: the request to send and how to check the answer.
    case client(ClientPlan)
    /// A server: how to answer requests, and what to accept.
    case server(ServerOptions, ServerDispatch)

    struct ClientPlan: Sendable {
        var variant: ProtocolVariant
        var framing: Hybi00Framing
        var request: HTTPRequestHead
        /// Bytes after the head (hybi-00's 8 key bytes).
        var body: [UInt8]
        /// RFC 6455: the `Sec-WebSocket-Key` sent.
        var key: String
        var subprotocols: [String]
        /// hybi-00: the 16 bytes the server must answer.
        var expectedAnswer: [UInt8]
        /// The permessage-deflate offer sent, if any.
        var compressionOffer: PerMessageDeflateClientOffer? = nil
    }
}

/// Why a connection could not be opened.
public struct HandshakeFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong: the connection refused or lost, the server's refusal, a bad accept value, a
    /// subprotocol not asked for...
    public var description: String

    /// A failure with this explanation.
    public init(_ description: String) {
        self.description = description
    }
}
