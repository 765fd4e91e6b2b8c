/// What a hybi-00 server answered, read from a handshake response the client accepted.
public struct Hybi00AcceptedUpgrade: Hashable, Sendable {
    /// The response head as received.
    public var head: HTTPResponseHead
    /// The `Sec-WebSocket-Origin` value, or `nil` when absent.
    public var origin: String?
    /// The `Sec-WebSocket-Location` value.
    public var location: String
    /// The `Sec-WebSocket-Protocol` value, or `nil` when absent.
    public var subprotocol: String?

    /// Creates an accepted upgrade; normally made by `Hybi00Handshake.validateServerResponse`.
    public init(head: HTTPResponseHead, origin: String?, location: String, subprotocol: String?) {
        self.head = head
        self.origin = origin
        self.location = location
        self.subprotocol = subprotocol
    }
}
