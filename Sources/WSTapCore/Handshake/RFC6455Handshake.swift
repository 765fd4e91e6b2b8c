import Crypto

/// The RFC 6455 opening handshake (section 4): keys, the accept value, and building requests and responses.
///
/// Validation lives in `RFC6455Handshake+ClientRequestValidation.swift` (server side) and
/// `RFC6455Handshake+ServerResponseValidation.swift` (client side).
public enum RFC6455Handshake {
    /// The GUID appended to the key before hashing (RFC 6455 section 1.3).
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The only protocol version RFC 6455 defines, as sent in `Sec-WebSocket-Version`.
    public static let version = "13"

    /// A fresh `Sec-WebSocket-Key`: 16 random bytes, base64-encoded.
    public static func makeClientKey(using generator: inout some RandomNumberGenerator) -> String {
        Base64.encode((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// A fresh `Sec-WebSocket-Key` from the system's random number generator.
    public static func makeClientKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return makeClientKey(using: &generator)
    }

    /// Whether a key is base64 of exactly 16 bytes, as RFC 6455 section 4.1 requires.
    public static func isValidClientKey(_ key: String) -> Bool {
        Base64.decode(key)?.count == 16
    }

    /// The `Sec-WebSocket-Accept` value for a key: base64 of the SHA-1 of the key followed by the GUID.
    ///
    /// The key is used as given, without checking that it is valid.
    public static func acceptValue(forKey key: String) -> String {
        var hasher = Insecure.SHA1()
        Array((key + guid).utf8).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Base64.encode(Array(hasher.finalize()))
    }

    /// The client's opening handshake request.
    ///
    /// Headers come in this order: `Host`, `Upgrade: websocket`, `Connection: Upgrade`, `Sec-WebSocket-Key`,
    /// `Sec-WebSocket-Version: 13`, then `Origin`, `Sec-WebSocket-Protocol` and `Sec-WebSocket-Extensions` when
    /// given, then `extraHeaders`. An empty path becomes `/`.
    public static func makeClientRequest(
        host: String, path: String, origin: String? = nil, subprotocols: [String] = [],
        extensions: [ExtensionOffer] = [], extraHeaders: HTTPHeaderFields = [:], key: String
    ) -> HTTPRequestHead {
        var headers: HTTPHeaderFields = [
            "Host": host,
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": key,
            "Sec-WebSocket-Version": version,
        ]
        if let origin {
            headers.add(name: "Origin", value: origin)
        }
        if !subprotocols.isEmpty {
            headers.add(name: SubprotocolList.headerName, value: SubprotocolList.headerValue(for: subprotocols))
        }
        if !extensions.isEmpty {
            headers.add(name: ExtensionOffer.headerName, value: ExtensionOffer.headerValue(for: extensions))
        }
        headers.add(contentsOf: extraHeaders)
        return HTTPRequestHead(method: "GET", target: path.isEmpty ? "/" : path, headers: headers)
    }

    /// The server's `101 Switching Protocols` response accepting a validated request.
    ///
    /// Headers: `Upgrade: websocket`, `Connection: Upgrade`, `Sec-WebSocket-Accept`, then
    /// `Sec-WebSocket-Protocol` and `Sec-WebSocket-Extensions` when given, then `extraHeaders`. The choices are
    /// written as given; choosing among the client's offers is the caller's business.
    public static func makeServerResponse(
        for request: UpgradeRequest, subprotocol: String? = nil, extensions: [ExtensionOffer] = [],
        extraHeaders: HTTPHeaderFields = [:]
    ) -> HTTPResponseHead {
        var headers: HTTPHeaderFields = [
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Accept": request.acceptValue,
        ]
        if let subprotocol {
            headers.add(name: SubprotocolList.headerName, value: subprotocol)
        }
        if !extensions.isEmpty {
            headers.add(name: ExtensionOffer.headerName, value: ExtensionOffer.headerValue(for: extensions))
        }
        headers.add(contentsOf: extraHeaders)
        return HTTPResponseHead(statusCode: 101, reason: "Switching Protocols", headers: headers)
    }

    /// What a request offers or a response accepts of the two lists the handshake negotiates: the
    /// subprotocols of `Sec-WebSocket-Protocol` and the extensions of `Sec-WebSocket-Extensions`.
    struct NegotiatedLists {
        var subprotocols: [String]
        var extensions: [ExtensionOffer]

        /// Reads both lists from a head's fields.
        init(_ headers: HTTPHeaderFields) throws(HeaderValueError) {
            subprotocols = try SubprotocolList.parse(headers)
            extensions = try ExtensionOffer.parse(headers)
        }
    }
}
