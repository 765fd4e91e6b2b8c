/// Lines to standard output through a buffer (one `write` per 64 KiB, not per line), for commands
/// that print a great many lines.
public struct BufferedOutput {
    private var buffer: [UInt8] = []

    /// An empty buffer.
    public init() {
        buffer.reserveCapacity(1 << 17)
    }

    /// A line: the text and a newline.
    public mutating func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        endLine()
    }

    /// A line: the bytes and a newline.
    public mutating func write(_ line: [UInt8]) {
        buffer.append(contentsOf: line)
        endLine()
    }

    /// A line: the bytes and a newline.
    public mutating func write(_ line: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: line)
        endLine()
    }

    private mutating func endLine() {
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered.
    public mutating func flush() {
        buffer.withUnsafeBytes { StandardStreams.output($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
