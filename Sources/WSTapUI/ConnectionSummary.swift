public import WSTapCore

/// What the connections list shows about one connection.
public struct ConnectionSummary: Hashable, Sendable {
    /// The connection's number, as in the events.
    public var id: UInt64
    /// The client's address, as `host:port`.
    public var clientAddress: String
    /// Where the connection goes: scheme, authority and the request's path (``address(of:)``).
    public var target: String
    /// The protocol its handshake settled.
    public var variant: ProtocolVariant
    /// hybi-00: the framing its frames are read in now.
    public var framing: Hybi00Framing
    /// The subprotocol the server chose, if any.
    public var subprotocol: String?
    /// The extensions the server agreed to.
    public var extensions: [ExtensionOffer] = []
    /// Whether the connection is still open.
    public var isOpen: Bool
    /// Frames the client sent.
    public var framesClientToServer: Int
    /// Frames the server sent.
    public var framesServerToClient: Int
    /// Wire bytes of the client's frames.
    public var bytesClientToServer: UInt64
    /// Wire bytes of the server's frames.
    public var bytesServerToClient: UInt64
    /// The code of the client's close frame, once seen.
    public var clientCloseCode: CloseCode?
    /// The code of the server's close frame, once seen.
    public var serverCloseCode: CloseCode?
    /// The reason of the close frames seen.
    public var closeReason: String
    /// The TCP or TLS error that ended the connection, if one did.
    public var error: String?

    /// A connection that just opened: open, old framing, no frames yet.
    public init(id: UInt64, clientAddress: String = "", target: String = "", variant: ProtocolVariant = .rfc6455) {
        self.id = id
        self.clientAddress = clientAddress
        self.target = target
        self.variant = variant
        framing = .old
        subprotocol = nil
        isOpen = true
        framesClientToServer = 0
        framesServerToClient = 0
        bytesClientToServer = 0
        bytesServerToClient = 0
        clientCloseCode = nil
        serverCloseCode = nil
        closeReason = ""
        error = nil
    }

    /// `open`, `closed`, or `failed`.
    public var stateName: String {
        if isOpen { return "open" }
        return error == nil ? "closed" : "failed"
    }
}
