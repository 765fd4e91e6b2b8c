import NIOCore
import WSTapCore

/// Every frame the list can show, as compact rows with the first bytes of each payload beside them,
/// in a ring of at most `capacity` frames (the oldest go first). Frames are numbered from 0 in the
/// order they arrived (their sequence number); the numbers of the frames held are
/// `firstSequence..<endSequence`.
struct FrameStore: Sendable {
    /// Payload bytes kept per frame for the list's preview and for searching.
    static let previewCapacity = 48

    let capacity: Int
    private var rows: [FrameRow] = []
    private var previews: [UInt8] = []
    /// Storage slot of the oldest row once the ring is full.
    private var head = 0
    /// How many frames were ever added.
    private(set) var endSequence = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { rows.count }
    var firstSequence: Int { endSequence - rows.count }

    func contains(_ sequence: Int) -> Bool { sequence >= firstSequence && sequence < endSequence }

    private func slot(_ sequence: Int) -> Int { (head + (sequence - firstSequence)) % rows.count }

    /// The row of a frame still held.
    func row(_ sequence: Int) -> FrameRow? {
        guard contains(sequence) else { return nil }
        return rows[slot(sequence)]
    }

    /// The preview bytes of a frame still held.
    func preview(_ sequence: Int) -> ArraySlice<UInt8> {
        guard contains(sequence) else { return [] }
        let index = slot(sequence)
        let start = index * Self.previewCapacity
        return previews[start..<start + Int(rows[index].previewCount)]
    }

    /// Adds a frame; returns its sequence number.
    @discardableResult
    mutating func append(_ row: FrameRow, preview: ByteBuffer) -> Int {
        var row = row
        let shown = min(preview.readableBytes, Self.previewCapacity)
        row.previewCount = UInt8(shown)
        let index: Int
        if rows.count < capacity {
            index = rows.count
            rows.append(row)
            previews.append(contentsOf: repeatElement(0, count: Self.previewCapacity))
        } else {
            index = head
            rows[index] = row
            head = (head + 1) % capacity
        }
        let start = index * Self.previewCapacity
        preview.withUnsafeReadableBytes { bytes in
            for offset in 0..<shown { previews[start + offset] = bytes[offset] }
        }
        endSequence += 1
        return endSequence - 1
    }

    /// Changes a held frame's row (a disposition that became known later).
    mutating func update(_ sequence: Int, _ change: (inout FrameRow) -> Void) {
        guard contains(sequence) else { return }
        change(&rows[slot(sequence)])
    }

    /// Whether the preview of a frame contains `needle` (ASCII letters compared without case).
    func previewContains(_ sequence: Int, _ needle: [UInt8]) -> Bool {
        guard contains(sequence), !needle.isEmpty else { return needle.isEmpty }
        let index = slot(sequence)
        let start = index * Self.previewCapacity
        let count = Int(rows[index].previewCount)
        guard count >= needle.count else { return false }
        return previews.withUnsafeBufferPointer { all in
            outer: for offset in start...(start + count - needle.count) {
                for (index, byte) in needle.enumerated() where Self.folded(all[offset + index]) != byte {
                    continue outer
                }
                return true
            }
            return false
        }
    }

    /// ASCII upper case to lower case.
    static func folded(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
