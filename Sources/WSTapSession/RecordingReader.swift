import NIOCore
import WSTapCore

/// Reads a recording (docs/recording-format.md) of any size: one pass on open finds where every line
/// starts (8 bytes of memory per event), then events are read on demand, in order or by index.
///
/// A last line without a line end (what a writer killed mid-line leaves) is skipped and reported in
/// ``tornLine``. Any other bad line makes reading that event throw ``RecordingError/badLine(path:lineNumber:reason:)``.
///
/// ```swift
/// let reader = try RecordingReader(path: "session.wstap")
/// for result in reader.events() { let recorded = try result.get(); ... }   // or: try reader.event(at: 41)
/// ```
public final class RecordingReader {
    /// The recording's path.
    public let path: String
    /// What the first line says.
    public let header: RecordingHeader
    /// The number of complete events (lines after the header).
    public var eventCount: Int { lines.lineCount - 1 }
    /// The incomplete last line that was skipped, if any.
    public let tornLine: TornLine?

    private let file: ReadOnlyFile
    private let lines: LineIndex
    private let decoder = RecordingLineDecoder()
    private var sideFile: ReadOnlyFile?
    /// A window of the file for reading lines in order without one read per line.
    private var window: [UInt8] = []
    private var windowStart: UInt64 = 0

    /// Opens a recording and indexes its lines.
    public init(path: String) throws(RecordingError) {
        self.path = path
        file = try ReadOnlyFile(path: path)
        lines = try LineIndex.build(file)
        if lines.lineCount == 0 {
            throw RecordingError.badHeader(
                path: path, reason: lines.tailByteCount == 0 ? "the file is empty" : "the first line is incomplete")
        }
        tornLine =
            lines.tailByteCount > 0 ? TornLine(lineNumber: lines.lineCount + 1, byteCount: lines.tailByteCount) : nil
        let (offset, length) = lines.range(ofLine: 0)
        let headerBytes = try file.bytes(at: offset, count: length)
        guard headerBytes.count == length else {
            throw RecordingError.badHeader(path: path, reason: "the file shrank while it was read")
        }
        do {
            header = try decoder.header(try decoder.parse(headerBytes))
        } catch {
            throw RecordingError.badHeader(path: path, reason: error.reason)
        }
    }

    /// The line number (the header is line 1) of event `index`.
    public static func lineNumber(ofEvent index: Int) -> Int { index + 2 }

    /// Event `index` (0-based), read from the file.
    public func event(at index: Int) throws(RecordingError) -> RecordedEvent {
        try withLine(at: index) { (raw) throws(RecordingError) -> RecordedEvent in try decode(raw, index: index) }
    }

    /// The exact bytes of event `index`'s line, without its line end (for passing lines through).
    public func lineBytes(at index: Int) throws(RecordingError) -> [UInt8] {
        try withLine(at: index) { (raw) throws(RecordingError) -> [UInt8] in Array(raw) }
    }

    /// The exact bytes of the header line, without its line end.
    public func headerLineBytes() throws(RecordingError) -> [UInt8] {
        try withFileLine(0) { (raw) throws(RecordingError) -> [UInt8] in Array(raw) }
    }

    /// Calls `body` with the bytes of event `index`'s line (valid only during the call).
    public func withLine<Result>(
        at index: Int, _ body: (UnsafeRawBufferPointer) throws(RecordingError) -> Result
    ) throws(RecordingError) -> Result {
        guard index >= 0, index < eventCount else { throw RecordingError.noSuchEvent(index: index, count: eventCount) }
        return try withFileLine(index + 1, body)
    }

    /// Calls `body` with the bytes of line `line` (0-based, the header is 0).
    private func withFileLine<Result>(
        _ line: Int, _ body: (UnsafeRawBufferPointer) throws(RecordingError) -> Result
    ) throws(RecordingError) -> Result {
        let (offset, length) = lines.range(ofLine: line)
        let windowEnd = windowStart + UInt64(window.count)
        if offset < windowStart || offset + UInt64(length) > windowEnd {
            try fillWindow(at: offset, minimum: length)
        }
        let start = Int(offset - windowStart)
        var outcome: Swift.Result<Result, RecordingError>?
        window.withUnsafeBytes { raw in
            do {
                outcome = .success(try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])))
            } catch {
                outcome = .failure((error as? RecordingError) ?? .cannotRead(path: path, reason: "\(error)"))
            }
        }
        guard let outcome else { throw RecordingError.cannotRead(path: path, reason: "line \(line + 1) was not read") }
        return try outcome.get()
    }

    /// Every event in order from `start`, read through a window of the file.
    public func events(from start: Int = 0) -> Events {
        Events(reader: self, position: max(0, start))
    }

    /// The events of a recording, in order; each step reads one line and may throw.
    public struct Events: Sequence, IteratorProtocol {
        let reader: RecordingReader
        var position: Int

        /// The next event, or `nil` after the last; a bad line gives `.failure` once, then the sequence
        /// goes on with the line after it.
        public mutating func next() -> Result<RecordedEvent, RecordingError>? {
            guard position < reader.eventCount else { return nil }
            defer { position += 1 }
            do {
                return .success(try reader.event(at: position))
            } catch {
                return .failure(error)
            }
        }
    }

    private func fillWindow(at offset: UInt64, minimum: Int) throws(RecordingError) {
        window = try file.bytes(at: offset, count: max(minimum, 1 << 20))
        windowStart = offset
        guard window.count >= minimum else {
            throw RecordingError.cannotRead(path: path, reason: "the file shrank while it was read")
        }
    }

    private func decode(_ raw: UnsafeRawBufferPointer, index: Int) throws(RecordingError) -> RecordedEvent {
        let lineNumber = Self.lineNumber(ofEvent: index)
        do {
            let line = try decoder.parse(raw)
            let (event, wire) = try decoder.event(line) { (offset, length) throws(LineProblem) -> ByteBuffer in
                try readSideFile(offset: offset, length: length)
            }
            return RecordedEvent(index: index, lineNumber: lineNumber, event: event, wireBytes: wire)
        } catch {
            throw RecordingError.badLine(path: path, lineNumber: lineNumber, reason: error.reason)
        }
    }

    private func readSideFile(offset: UInt64, length: Int) throws(LineProblem) -> ByteBuffer {
        guard let name = header.sideFileName else {
            throw LineProblem("the line refers to a side file but the header names none")
        }
        let sidePath = Self.sibling(of: path, named: name)
        if sideFile == nil {
            do {
                sideFile = try ReadOnlyFile(path: sidePath)
            } catch {
                throw LineProblem("cannot open the side file: \(error)")
            }
        }
        guard let sideFile else { throw LineProblem("cannot open the side file \(sidePath)") }
        let bytes: [UInt8]
        do {
            bytes = try sideFile.bytes(at: offset, count: length)
        } catch {
            throw LineProblem("\(error)")
        }
        guard bytes.count == length else {
            throw LineProblem("the side file \(sidePath) ends before byte \(offset + UInt64(length))")
        }
        return ByteBuffer(bytes: bytes)
    }

    /// `name` in the folder of `path`.
    static func sibling(of path: String, named name: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return name }
        return String(path[...slash]) + name
    }
}
