public import NIOCore
public import WSTapCore

/// What the opening handshake settled, and where the two ends are.
public struct ConnectionInfo: Sendable {
    /// The protocol the handshake settled: RFC 6455 or hybi-00.
    public var variant: ProtocolVariant
    /// hybi-00 framing (meaningless for RFC 6455).
    public var framing: Hybi00Framing
    /// The client's request head, exactly as sent.
    public var request: HTTPRequestHead
    /// The server's response head, exactly as sent.
    public var response: HTTPResponseHead
    /// The handshake bytes sent after the request head: hybi-00's 8 key bytes (empty for RFC 6455).
    public var requestBody: [UInt8] = []
    /// The handshake bytes sent after the response head: hybi-00's 16-byte answer (empty for RFC 6455).
    public var responseBody: [UInt8] = []
    /// The subprotocol both ends agreed on, if any.
    public var subprotocol: String?
    /// The extensions both ends agreed on.
    public var extensions: [ExtensionOffer]
    /// The permessage-deflate parameters, when compression was agreed.
    public var compression: PerMessageDeflateParameters? = nil
    /// This end's address and port (`ws-conn-peer-addresses`, with ``remoteAddress``).
    public var localAddress: SocketAddress?
    /// The peer's address and port.
    public var remoteAddress: SocketAddress?
    /// A server's decision for this connection (handler and state).
    var acceptance: AcceptDecision? = nil

    /// The request line, such as `GET /chat HTTP/1.1`.
    public var requestLine: String { request.startLine }

    /// The path of the request target without the query.
    public var path: String { String(request.target.prefix(while: { $0 != "?" })) }

    /// The `Host` header's host and port (the port defaults to 80).
    public var hostAndPort: (host: String, port: Int)? {
        guard let value = request.headers.first("Host") else { return nil }
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            let host = String(value[value.index(after: value.startIndex)..<close])
            let rest = value[value.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? 80 : 80)
        }
        let parts = value.split(separator: ":", maxSplits: 1)
        return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 80 : 80)
    }
}
