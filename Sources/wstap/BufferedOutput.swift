/// Lines to standard output through a buffer (one `write` per 64 KiB, not per line), for commands
/// that print a great many lines.
struct BufferedOutput {
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(1 << 17)
    }

    mutating func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        endLine()
    }

    mutating func write(_ line: [UInt8]) {
        buffer.append(contentsOf: line)
        endLine()
    }

    mutating func write(_ line: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: line)
        endLine()
    }

    private mutating func endLine() {
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered.
    mutating func flush() {
        buffer.withUnsafeBytes { StandardStreams.output($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
