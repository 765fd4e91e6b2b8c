import NIOCore

/// The bytes one direction of one connection carried that no recorded frame has taken yet, as the
/// chunks they arrived in (kept without copying). Frames take their exact bytes by stream offset.
struct DirectionStream {
    private var chunks: [ByteBuffer] = []
    private var head = 0
    /// The stream offset of the first byte still held.
    private(set) var startOffset = 0
    private(set) var byteCount = 0

    mutating func append(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        chunks.append(bytes)
        byteCount += bytes.readableBytes
    }

    /// The bytes at `offset..<offset+length` of the stream, and any bytes held before them that nothing
    /// took (so they can be recorded as raw bytes); `nil` when they have not all arrived.
    mutating func take(offset: Int, length: Int) -> (skipped: ByteBuffer?, bytes: ByteBuffer)? {
        guard offset >= startOffset, offset - startOffset <= byteCount, length <= byteCount - (offset - startOffset)
        else { return nil }
        let skipped = offset > startOffset ? takeFront(offset - startOffset) : nil
        return (skipped, takeFront(length))
    }

    /// Everything still held.
    mutating func takeAll() -> ByteBuffer {
        takeFront(byteCount)
    }

    /// The first `count` held bytes (`count` ≤ ``byteCount``): a slice when one chunk holds them all.
    private mutating func takeFront(_ count: Int) -> ByteBuffer {
        defer { compactIfNeeded() }
        startOffset += count
        byteCount -= count
        if count == 0 { return ByteBuffer() }
        if chunks[head].readableBytes >= count {
            let slice = chunks[head].readSlice(length: count) ?? ByteBuffer()
            if chunks[head].readableBytes == 0 { dropHead() }
            return slice
        }
        var joined = ByteBufferAllocator().buffer(capacity: count)
        var remaining = count
        while remaining > 0 {
            let piece = min(remaining, chunks[head].readableBytes)
            guard var slice = chunks[head].readSlice(length: piece) else { break }
            joined.writeBuffer(&slice)
            remaining -= piece
            if chunks[head].readableBytes == 0 { dropHead() }
        }
        return joined
    }

    private mutating func dropHead() {
        chunks[head] = ByteBuffer()
        head += 1
    }

    private mutating func compactIfNeeded() {
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64, head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }
}
