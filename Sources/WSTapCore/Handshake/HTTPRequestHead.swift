/// The head of an HTTP/1.1 request: request line and header fields, without any body.
public struct HTTPRequestHead: Sendable {
    /// The method, such as `GET`.
    public var method: String
    /// The request target as written, such as `/chat?room=1`.
    public var target: String
    /// The protocol version as written, such as `HTTP/1.1`.
    public var version: String
    /// The header fields in order.
    public var headers: HTTPHeaderFields
    /// The exact bytes this head was parsed from, terminating blank line included; `nil` for a head built
    /// in code. Kept so a recorder can store what was on the wire, not a re-serialization.
    public var rawBytes: [UInt8]?

    /// Creates a request head.
    public init(
        method: String, target: String, version: String = "HTTP/1.1", headers: HTTPHeaderFields = [:],
        rawBytes: [UInt8]? = nil
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.rawBytes = rawBytes
    }

    /// The head serialized as `METHOD target version\r\n`, one `Name: value\r\n` per field (a parsed
    /// field's value written as it was received, see `HTTPHeaderFields.Field.wireValue`), then `\r\n`.
    public func serialized() -> [UInt8] {
        var text = "\(method) \(target) \(version)\r\n"
        for field in headers.fields {
            text += "\(field.name):\(field.serializedValue)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// The bytes to put on the wire or in a recording: `rawBytes` when present, else `serialized()`.
    public var wireBytes: [UInt8] { rawBytes ?? serialized() }
}

extension HTTPRequestHead: Hashable {
    /// Heads are equal when method, target, version and headers are; `rawBytes` records provenance and is ignored.
    public static func == (lhs: HTTPRequestHead, rhs: HTTPRequestHead) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.version == rhs.version
            && lhs.headers == rhs.headers
    }

    /// Hashes the same parts that `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(target)
        hasher.combine(version)
        hasher.combine(headers)
    }
}

extension HTTPRequestHead: CustomStringConvertible {
    /// The request line and header lines, joined by newlines.
    public var description: String {
        ([("\(method) \(target) \(version)")] + headers.fields.map { "\($0.name): \($0.value)" })
            .joined(separator: "\n")
    }
}
