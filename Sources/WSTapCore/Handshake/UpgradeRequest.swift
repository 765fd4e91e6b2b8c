/// An RFC 6455 opening handshake request that passed validation, with the parts a server decides on.
public struct UpgradeRequest: Hashable, Sendable {
    /// The request head as received.
    public var head: HTTPRequestHead
    /// The `Sec-WebSocket-Key` value (base64 of 16 bytes).
    public var key: String
    /// The `Host` header value.
    public var host: String
    /// The path of the request target, without the query.
    public var path: String
    /// The query of the request target (after `?`), or `nil` when there is none.
    public var query: String?
    /// The `Origin` header value (or the older `Sec-WebSocket-Origin`), or `nil` when absent.
    public var origin: String?
    /// The subprotocols the client asks for, in its order of preference.
    public var subprotocols: [String]
    /// The extensions the client offers, in its order of preference.
    public var extensions: [ExtensionOffer]

    /// Creates a validated request; normally made by `RFC6455Handshake.validateClientRequest(_:)`.
    public init(
        head: HTTPRequestHead, key: String, host: String, path: String, query: String?, origin: String?,
        subprotocols: [String], extensions: [ExtensionOffer]
    ) {
        self.head = head
        self.key = key
        self.host = host
        self.path = path
        self.query = query
        self.origin = origin
        self.subprotocols = subprotocols
        self.extensions = extensions
    }

    /// The `Sec-WebSocket-Accept` value that answers this request's key.
    public var acceptValue: String { RFC6455Handshake.acceptValue(forKey: key) }
}
