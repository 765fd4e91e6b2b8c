/// Cuts bytes that arrive in pieces into lines, without their line ends (`\n` or `\r\n`, also when a piece ends
/// between the two), as `readLine(strippingNewline: true)` reads them (invalid UTF-8 repaired).
public struct LineSplitter: Sendable {
    /// The start of a line whose end has not arrived yet.
    private var partial: [UInt8] = []

    /// Nothing read yet.
    public init() {}

    /// The lines `bytes` ends (the first one joined to what was left of the pieces before); keeps the rest.
    public mutating func lines(in bytes: some Collection<UInt8>) -> [String] {
        var lines: [String] = []
        var start = bytes.startIndex
        while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            partial.append(contentsOf: bytes[start..<end])
            if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
            lines.append(String(decoding: partial, as: UTF8.self))
            partial.removeAll(keepingCapacity: true)
            start = bytes.index(after: end)
        }
        partial.append(contentsOf: bytes[start...])
        return lines
    }

    /// At the end of input: the bytes after the last line end, as the last line (`nil` if there are none).
    public mutating func rest() -> String? {
        guard !partial.isEmpty else { return nil }
        defer { partial = [] }
        return String(decoding: partial, as: UTF8.self)
    }
}
