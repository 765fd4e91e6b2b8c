import NIOCore

/// The wire bytes of one frame (or raw run) as slices of the chunks they arrived in, so they can be
/// written out without first being joined. One instance is reused for every frame.
struct WirePieces {
    /// The slices, in stream order.
    private(set) var slices: [ByteBuffer] = []
    /// How many bytes the slices hold together.
    private(set) var count = 0

    init() {}

    init(_ bytes: ByteBuffer) {
        append(bytes)
    }

    var isEmpty: Bool { count == 0 }

    mutating func append(_ slice: ByteBuffer) {
        guard slice.readableBytes > 0 else { return }
        slices.append(slice)
        count += slice.readableBytes
    }

    /// Empties it, keeping the room for the next frame.
    mutating func removeAll() {
        slices.removeAll(keepingCapacity: true)
        count = 0
    }

    /// The bytes in one buffer: the only slice itself (no copy), else the slices joined.
    func joined() -> ByteBuffer {
        if slices.count == 1 { return slices[0] }
        if slices.isEmpty { return ByteBuffer() }
        var joined = ByteBufferAllocator().buffer(capacity: count)
        for slice in slices { joined.writeImmutableBuffer(slice) }
        return joined
    }
}
