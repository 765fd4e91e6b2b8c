#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where every line of a file starts, found by one pass over the file in large chunks (only the
/// offsets are kept: 8 bytes a line).
struct LineIndex {
    /// The start offset of every complete line, then the offset just past the last complete line.
    private(set) var boundaries: [UInt64] = [0]
    /// Bytes after the last line end (a line cut short), if any.
    private(set) var tailByteCount = 0

    /// The number of complete (newline-terminated) lines.
    var lineCount: Int { boundaries.count - 1 }

    /// The byte range of complete line `index` (0-based), without its line end.
    func range(ofLine index: Int) -> (offset: UInt64, length: Int) {
        let start = boundaries[index]
        return (start, Int(boundaries[index + 1] - start) - 1)
    }

    static func build(_ file: ReadOnlyFile) throws(RecordingError) -> LineIndex {
        var index = LineIndex()
        index.boundaries.reserveCapacity(1 << 16)
        let chunkSize = 4 << 20
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        var offset: UInt64 = 0
        while true {
            let count = try file.read(at: offset, count: chunkSize, into: chunk)
            if count == 0 { break }
            var position = 0
            while position < count {
                guard let found = memchr(chunk + position, 0x0A, count - position) else { break }
                let at = chunk.distance(to: found)
                index.boundaries.append(offset + UInt64(at + 1))
                position = at + 1
            }
            offset += UInt64(count)
            if count < chunkSize { break }
        }
        index.tailByteCount = Int(offset - (index.boundaries.last ?? 0))
        return index
    }
}
