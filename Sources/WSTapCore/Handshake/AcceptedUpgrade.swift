/// What an RFC 6455 server agreed to, read from a handshake response the client accepted.
public struct AcceptedUpgrade: Hashable, Sendable {
    /// The response head as received.
    public var head: HTTPResponseHead
    /// The subprotocol the server chose, or `nil` when it chose none.
    public var subprotocol: String?
    /// The extensions the server accepted, in the order it listed them, with their parameters.
    public var extensions: [ExtensionOffer]

    /// Creates an accepted upgrade; normally made by `RFC6455Handshake.validateServerResponse`.
    public init(head: HTTPResponseHead, subprotocol: String?, extensions: [ExtensionOffer]) {
        self.head = head
        self.subprotocol = subprotocol
        self.extensions = extensions
    }
}
