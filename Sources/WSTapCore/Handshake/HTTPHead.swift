/// What the head of an HTTP/1.1 request and of a response share: a start line, the header fields, and the
/// exact bytes a parsed head came from. Both are serialized and described the same way.
public protocol HTTPHead: CustomStringConvertible, Sendable {
    /// The first line without its line ending: the request line (`GET /chat HTTP/1.1`) or the status line
    /// (`HTTP/1.1 101 Switching Protocols`).
    var startLine: String { get }
    /// The header fields in order.
    var headers: HTTPHeaderFields { get }
    /// The exact bytes this head was parsed from, terminating blank line included; `nil` for a head built
    /// in code.
    var rawBytes: [UInt8]? { get }
}

extension HTTPHead {
    /// The head serialized as the start line and `\r\n`, one `Name: value\r\n` per field (a parsed field's
    /// value written as it was received, see `HTTPHeaderFields.Field.wireValue`), then `\r\n`.
    public func serialized() -> [UInt8] {
        var text = startLine + "\r\n"
        for field in headers.fields {
            text += "\(field.name):\(field.serializedValue)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// The bytes to put on the wire or in a recording: `rawBytes` when present, else `serialized()`.
    public var wireBytes: [UInt8] { rawBytes ?? serialized() }

    /// The start line and the header lines, joined by newlines.
    public var description: String {
        ([startLine] + headers.fields.map { "\($0.name): \($0.value)" }).joined(separator: "\n")
    }
}
