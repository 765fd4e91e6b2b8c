/// Why the value of a structured header (`Sec-WebSocket-Protocol`, `Sec-WebSocket-Extensions`) is malformed.
public struct HeaderValueError: Error, Hashable, Sendable {
    /// The header name, such as `Sec-WebSocket-Extensions`.
    public let header: String
    /// Which field with that name held the problem, counting from 1 in head order.
    public let occurrence: Int
    /// The whole value of that field.
    public let value: String
    /// The 0-based UTF-8 offset in `value` where the problem is.
    public let offset: Int
    /// Why the value is wrong there, such as `expected a parameter name`.
    public let reason: String

    /// Creates an error.
    public init(header: String, occurrence: Int, value: String, offset: Int, reason: String) {
        self.header = header
        self.occurrence = occurrence
        self.value = value
        self.offset = offset
        self.reason = reason
    }
}

extension HeaderValueError: CustomStringConvertible {
    /// One sentence naming the header, the value, the offset and what is found there, and the reason.
    public var description: String {
        let bytes = Array(value.utf8)
        let found = offset < bytes.count ? "\"\(HTTPSyntax.excerpt(bytes[offset...], limit: 12))\"" : "the end"
        let which = occurrence > 1 ? " (field \(occurrence))" : ""
        return "malformed \(header)\(which) value \"\(HTTPSyntax.excerpt(bytes))\": at offset \(offset), found "
            + "\(found) but \(reason)."
    }
}
