/// A hybi-00 (hixie-76) handshake request that passed validation.
public struct Hybi00UpgradeRequest: Hashable, Sendable {
    /// The request head as received.
    public var head: HTTPRequestHead
    /// The keys: `Sec-WebSocket-Key1`, `Sec-WebSocket-Key2` and the 8 bytes after the head.
    public var keys: Hybi00ClientKeys
    /// The `Host` header value.
    public var host: String
    /// The path of the request target, without the query.
    public var path: String
    /// The query of the request target (after `?`), or `nil` when there is none.
    public var query: String?
    /// The `Origin` header value, or `nil` when absent.
    public var origin: String?
    /// The `Sec-WebSocket-Protocol` value (a single free-form name in this draft), or `nil` when absent.
    public var subprotocol: String?

    /// Creates a validated request; normally made by `Hybi00Handshake.validateClientRequest(_:body:)`.
    public init(
        head: HTTPRequestHead, keys: Hybi00ClientKeys, host: String, path: String, query: String?, origin: String?,
        subprotocol: String?
    ) {
        self.head = head
        self.keys = keys
        self.host = host
        self.path = path
        self.query = query
        self.origin = origin
        self.subprotocol = subprotocol
    }

    /// The 16 bytes the server must answer with.
    public var answer: [UInt8] { keys.expectedAnswer }

    /// The URL the request was made to, for `Sec-WebSocket-Location`: `ws://` (or `wss://`), host, path, query.
    public func location(secure: Bool) -> String {
        let target = query.map { "\(path)?\($0)" } ?? path
        return (secure ? "wss://" : "ws://") + host + target
    }
}
