/// The head of an HTTP/1.1 request: request line and header fields, without any body.
public struct HTTPRequestHead: HTTPHead {
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

    /// The request line without its line ending, such as `GET /chat HTTP/1.1`.
    public var startLine: String { "\(method) \(target) \(version)" }
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
