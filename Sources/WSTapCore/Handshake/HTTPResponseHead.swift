/// The head of an HTTP/1.1 response: status line and header fields, without any body.
public struct HTTPResponseHead: HTTPHead {
    /// The protocol version as written, such as `HTTP/1.1`.
    public var version: String
    /// The three-digit status code, such as 101.
    public var statusCode: Int
    /// The reason phrase, such as `Switching Protocols`; may be empty.
    public var reason: String
    /// The header fields in order.
    public var headers: HTTPHeaderFields
    /// The exact bytes this head was parsed from, terminating blank line included; `nil` for a head built
    /// in code. Kept so a recorder can store what was on the wire, not a re-serialization.
    public var rawBytes: [UInt8]?

    /// Creates a response head.
    public init(
        version: String = "HTTP/1.1", statusCode: Int, reason: String, headers: HTTPHeaderFields = [:],
        rawBytes: [UInt8]? = nil
    ) {
        self.version = version
        self.statusCode = statusCode
        self.reason = reason
        self.headers = headers
        self.rawBytes = rawBytes
    }

    /// The status line without its line ending, such as `HTTP/1.1 101 Switching Protocols`.
    public var statusLine: String { "\(version) \(statusCode) \(reason)" }

    /// The status line (``statusLine``): the head's first line.
    public var startLine: String { statusLine }
}

extension HTTPResponseHead: Hashable {
    /// Heads are equal when version, status, reason and headers are; `rawBytes` records provenance and is ignored.
    public static func == (lhs: HTTPResponseHead, rhs: HTTPResponseHead) -> Bool {
        lhs.version == rhs.version && lhs.statusCode == rhs.statusCode && lhs.reason == rhs.reason
            && lhs.headers == rhs.headers
    }

    /// Hashes the same parts that `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(version)
        hasher.combine(statusCode)
        hasher.combine(reason)
        hasher.combine(headers)
    }
}
