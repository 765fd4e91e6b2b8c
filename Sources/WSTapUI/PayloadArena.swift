import NIOCore

/// The newest payloads in full, copied one after the other into a ring of bytes of a fixed size: a new
/// payload overwrites the oldest ones. Each payload is found by the offset ``store(_:)`` returned, and
/// an offset whose bytes were overwritten reads as gone. No allocation per payload once the ring has
/// grown to its size; the ring grows only as far as the payloads need.
///
/// Layout at an offset: the payload's length (4 bytes, little-endian), then its bytes. Offsets count
/// every byte ever written (and the tail skipped when a payload does not fit before the ring's end), so
/// they only grow.
struct PayloadArena: Sendable {
    /// The ring's size in bytes (0: nothing is kept).
    let capacity: Int
    /// Payloads bigger than this are not kept (a quarter of the ring).
    var maxPayload: Int { capacity / 4 }
    private var ring: [UInt8] = []
    /// Where the next payload goes, counted from the first byte ever written.
    private(set) var writeOffset = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// How many bytes the ring takes now.
    var allocatedBytes: Int { ring.count }

    /// Copies a payload into the ring; returns its offset, or -1 when it is too big to keep.
    mutating func store(_ payload: ByteBuffer) -> Int64 {
        let length = payload.readableBytes
        guard length <= maxPayload, length <= Int(UInt32.max) else { return -1 }
        let needed = 4 + length
        guard needed <= capacity else { return -1 }
        var position = writeOffset % capacity
        if position + needed > capacity {
            writeOffset += capacity - position
            position = 0
        }
        if position + needed > ring.count {
            let grown = min(capacity, max(ring.count * 2, position + needed, 4096))
            ring.append(contentsOf: repeatElement(0, count: grown - ring.count))
        }
        let offset = writeOffset
        ring.withUnsafeMutableBytes { destination in
            destination.storeBytes(of: UInt32(length).littleEndian, toByteOffset: position, as: UInt32.self)
            payload.withUnsafeReadableBytes { source in
                guard let from = source.baseAddress, let to = destination.baseAddress, length > 0 else { return }
                (to + position + 4).copyMemory(from: from, byteCount: length)
            }
        }
        writeOffset += needed
        return Int64(offset)
    }

    /// Whether the payload at an offset is still in the ring.
    func contains(_ offset: Int64) -> Bool {
        offset >= 0 && Int(offset) <= writeOffset && writeOffset - Int(offset) <= capacity
    }

    /// Calls `body` with the bytes of the payload at an offset; `nil` when they were overwritten.
    func withPayload<Result>(at offset: Int64, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result? {
        guard contains(offset) else { return nil }
        let position = Int(offset) % capacity
        return try ring.withUnsafeBytes { all in
            let length = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            return try body(UnsafeRawBufferPointer(rebasing: all[position + 4..<position + 4 + length]))
        }
    }

    /// The payload's length at an offset; `nil` when it was overwritten.
    func length(at offset: Int64) -> Int? {
        withPayload(at: offset) { $0.count }
    }
}
