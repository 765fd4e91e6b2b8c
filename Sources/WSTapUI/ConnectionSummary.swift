public import WSTapCore

/// What the connections list shows about one connection.
public struct ConnectionSummary: Hashable, Sendable {
    public var id: UInt64
    public var clientAddress: String
    /// Where the connection goes: scheme, authority and the request's path (``address(of:)``).
    public var target: String
    public var variant: ProtocolVariant
    public var framing: Hybi00Framing
    public var subprotocol: String?
    public var isOpen: Bool
    public var framesClientToServer: Int
    public var framesServerToClient: Int
    public var bytesClientToServer: UInt64
    public var bytesServerToClient: UInt64
    public var clientCloseCode: CloseCode?
    public var serverCloseCode: CloseCode?
    public var closeReason: String
    public var error: String?

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
