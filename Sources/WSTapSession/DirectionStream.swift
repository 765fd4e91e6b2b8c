import NIOCore

/// The bytes one direction of one connection carried that no recorded frame has taken yet, as the
/// chunks they arrived in (kept without copying). Frames take their exact bytes by stream offset, as
/// slices of those chunks. A class, so the recorder changes it through its dictionary without the
/// dictionary's in-place accessor (which allocates on every access).
final class DirectionStream {
    private var chunks: [ByteBuffer] = []
    private var head = 0
    /// The stream offset of the first byte still held.
    private(set) var startOffset = 0
    private(set) var byteCount = 0

    func append(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        chunks.append(bytes)
        byteCount += bytes.readableBytes
    }

    /// Moves the bytes at `offset..<offset+length` of the stream to `taken`, and any bytes held before
    /// them that nothing took to `skipped` (so they can be recorded as raw bytes); `false` (taking
    /// nothing) when they have not all arrived.
    func take(offset: Int, length: Int, skipped: inout WirePieces, taken: inout WirePieces) -> Bool {
        guard offset >= startOffset, offset - startOffset <= byteCount, length <= byteCount - (offset - startOffset)
        else { return false }
        if offset > startOffset { takeFront(offset - startOffset, into: &skipped) }
        takeFront(length, into: &taken)
        return true
    }

    /// Moves everything still held to `pieces`.
    func takeAll(into pieces: inout WirePieces) {
        takeFront(byteCount, into: &pieces)
    }

    /// Moves the first `count` held bytes (`count` ≤ ``byteCount``) to `pieces`, as slices.
    private func takeFront(_ count: Int, into pieces: inout WirePieces) {
        defer { compactIfNeeded() }
        startOffset += count
        byteCount -= count
        var remaining = count
        while remaining > 0 {
            let piece = min(remaining, chunks[head].readableBytes)
            guard let slice = chunks[head].readSlice(length: piece) else { break }
            pieces.append(slice)
            remaining -= piece
            if chunks[head].readableBytes == 0 { dropHead() }
        }
    }

    private func dropHead() {
        chunks[head] = ByteBuffer()
        head += 1
    }

    private func compactIfNeeded() {
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64, head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }
}
