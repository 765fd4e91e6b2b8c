/// Which opening handshake a request attempts.
public enum HandshakeVariant: Hashable, Sendable {
    /// RFC 6455: the request has `Sec-WebSocket-Key`.
    case rfc6455
    /// hybi-00 / hixie-76: the request has `Sec-WebSocket-Key1` and `Sec-WebSocket-Key2`.
    case hybi00
    /// Neither: a plain HTTP request, or an upgrade to something else.
    case notWebSocket

    /// Classifies a request by its key headers; RFC 6455 is checked first, so a request carrying both kinds of
    /// key counts as RFC 6455. Nothing else is validated: that is the job of the variant's `validateClientRequest`.
    public static func detect(_ head: HTTPRequestHead) -> HandshakeVariant {
        if head.headers.contains("Sec-WebSocket-Key") {
            return .rfc6455
        }
        if head.headers.contains("Sec-WebSocket-Key1") && head.headers.contains("Sec-WebSocket-Key2") {
            return .hybi00
        }
        return .notWebSocket
    }
}
