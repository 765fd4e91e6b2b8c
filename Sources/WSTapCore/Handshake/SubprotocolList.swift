/// The `Sec-WebSocket-Protocol` header (RFC 6455 section 11.3.4): a comma-separated list of subprotocol tokens.
public enum SubprotocolList {
    /// The header name.
    public static let headerName = "Sec-WebSocket-Protocol"

    /// The subprotocols named in every `Sec-WebSocket-Protocol` field of `headers`, in order.
    public static func parse(_ headers: HTTPHeaderFields) throws(HeaderValueError) -> [String] {
        try parse(values: headers.values(headerName))
    }

    /// The subprotocols named in header values, in order; empty list elements are skipped.
    ///
    /// - Throws: `HeaderValueError` at the first element that is not an RFC 7230 token.
    public static func parse(values: [String]) throws(HeaderValueError) -> [String] {
        var result: [String] = []
        for (index, value) in values.enumerated() {
            let bytes = Array(value.utf8)
            var elementStart = 0
            while elementStart <= bytes.count {
                let elementEnd = bytes[elementStart...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
                let element = bytes[elementStart..<elementEnd]
                if let first = element.firstIndex(where: { !HTTPSyntax.isWhitespace($0) }),
                    let last = element.lastIndex(where: { !HTTPSyntax.isWhitespace($0) })
                {
                    let token = element[first...last]
                    if let bad = token.firstIndex(where: { !HTTPSyntax.isTokenByte($0) }) {
                        throw HeaderValueError(
                            header: headerName, occurrence: index + 1, value: value, offset: bad,
                            reason: "a subprotocol name must be a token (letters, digits and !#$%&'*+-.^_`|~)")
                    }
                    result.append(String(decoding: token, as: UTF8.self))
                }
                elementStart = elementEnd + 1
            }
        }
        return result
    }

    /// The header value naming these subprotocols: `chat, superchat`.
    public static func headerValue(for subprotocols: [String]) -> String {
        subprotocols.joined(separator: ", ")
    }

    /// Whether a string can be a subprotocol name: a non-empty RFC 7230 token.
    public static func isValidName(_ name: String) -> Bool {
        HTTPSyntax.isToken(name)
    }
}
