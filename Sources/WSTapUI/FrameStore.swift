import NIOCore
import WSTapCore

/// Every frame the list can show, as compact rows with the first bytes of each payload beside them,
/// in a ring of at most `capacity` frames (the oldest go first), and the newest payloads in full in a
/// ring of bytes (``PayloadArena``) for searching and for the detail pane. Frames are numbered from 0
/// in the order they arrived (their sequence number); the numbers of the frames held are
/// `firstSequence..<endSequence`.
struct FrameStore: Sendable {
    /// Payload bytes kept per frame for the list's preview (and for searching older frames).
    static let previewCapacity = 48

    let capacity: Int
    private var rows: [FrameRow] = []
    private var previews: [UInt8] = []
    private var payloads: PayloadArena
    /// Storage slot of the oldest row once the ring is full.
    private var head = 0
    /// How many frames were ever added.
    private(set) var endSequence = 0

    /// - Parameters:
    ///   - capacity: how many frames are kept.
    ///   - payloadBytes: the size of the ring the newest whole payloads are kept in.
    init(capacity: Int, payloadBytes: Int = 32 << 20) {
        self.capacity = max(1, capacity)
        payloads = PayloadArena(capacity: payloadBytes)
    }

    /// The size of the ring of whole payloads.
    var payloadCapacity: Int { payloads.capacity }

    /// Bytes taken by the ring of whole payloads.
    var payloadBytesAllocated: Int { payloads.allocatedBytes }

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

    /// Adds a frame and its (captured or inflated) payload; returns its sequence number.
    @discardableResult
    mutating func append(_ row: FrameRow, payload: ByteBuffer) -> Int {
        var row = row
        let shown = min(payload.readableBytes, Self.previewCapacity)
        row.previewCount = UInt8(shown)
        if payload.readableBytes > shown { row.flags.insert(.previewCut) }
        row.payloadOffset = payloads.store(payload)
        let index: Int
        if rows.count < capacity {
            index = rows.count
            if rows.count == rows.capacity {
                let next = RingGrowth.next(rows.count, limit: capacity)
                rows.reserveCapacity(next)
                previews.reserveCapacity(next * Self.previewCapacity)
            }
            rows.append(row)
            previews.append(contentsOf: repeatElement(0, count: Self.previewCapacity))
        } else {
            index = head
            rows[index] = row
            head = head + 1 == capacity ? 0 : head + 1
        }
        if shown > 0 {
            let start = index * Self.previewCapacity
            previews.withUnsafeMutableBytes { destination in
                payload.withUnsafeReadableBytes { source in
                    guard let from = source.baseAddress, let to = destination.baseAddress else { return }
                    (to + start).copyMemory(from: from, byteCount: shown)
                }
            }
        }
        endSequence += 1
        return endSequence - 1
    }

    /// Whether a frame's whole captured payload is still held (not only its preview).
    func holdsPayload(_ sequence: Int) -> Bool {
        guard let row = row(sequence) else { return false }
        return payloads.contains(row.payloadOffset)
    }

    /// Calls `body` with a frame's whole captured payload; `nil` when only its preview is left.
    func withPayload<Result>(_ sequence: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result? {
        guard let row = row(sequence) else { return nil }
        return try payloads.withPayload(at: row.payloadOffset, body)
    }

    /// A frame's whole captured payload, or `nil` when only its preview is left.
    func payload(_ sequence: Int) -> [UInt8]? {
        withPayload(sequence) { Array($0) }
    }

    /// Calls `body` with the bytes a search looks at: the whole payload when it is held, else the
    /// preview; `wholePayload` says which.
    func withSearchableBytes<Result>(
        _ sequence: Int, _ body: (_ bytes: UnsafeRawBufferPointer, _ wholePayload: Bool) throws -> Result
    ) rethrows -> Result? {
        guard contains(sequence) else { return nil }
        if let result = try withPayload(sequence, { try body($0, true) }) { return result }
        let index = slot(sequence)
        let start = index * Self.previewCapacity
        let count = Int(rows[index].previewCount)
        return try previews.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[start..<start + count]), false)
        }
    }

    /// Changes a held frame's row (a disposition that became known later).
    mutating func update(_ sequence: Int, _ change: (inout FrameRow) -> Void) {
        guard contains(sequence) else { return }
        change(&rows[slot(sequence)])
    }

    /// The offset of the first place `needle` (lower-cased) occurs in `bytes`, ASCII letters compared
    /// without case.
    static func firstFoldedMatch(of needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard !needle.isEmpty else { return 0 }
        guard bytes.count >= needle.count else { return nil }
        return needle.withUnsafeBufferPointer { needle in
            let first = needle[0]
            let last = bytes.count - needle.count
            var offset = 0
            while offset <= last {
                if folded(bytes[offset]) == first {
                    var index = 1
                    while index < needle.count, folded(bytes[offset + index]) == needle[index] { index += 1 }
                    if index == needle.count { return offset }
                }
                offset += 1
            }
            return nil
        }
    }

    /// ASCII upper case to lower case.
    static func folded(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
