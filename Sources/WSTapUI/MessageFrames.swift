import WSTapCore

/// The frames of one message as the frame store still holds them, and its payload put back together.
/// A message's frames are its first frame and the continuations on the same connection and direction
/// up to its last frame; other traffic may lie between them, so the walk is bounded.
struct MessageFrames {
    /// At most this many frames are looked at between a message's first and last frame.
    static let walkLimit = 4096

    let entry: MessageStore.Entry
    /// Sequence numbers of the frames found (in order).
    private(set) var sequences: [Int] = []
    /// Whether every frame of the message was found (none left the store, the walk did not stop early).
    private(set) var allFound = true

    init(_ entry: MessageStore.Entry, in frames: FrameStore) {
        self.entry = entry
        guard let head = frames.row(entry.firstSequence) else {
            allFound = false
            return
        }
        sequences.append(entry.firstSequence)
        var sequence = entry.firstSequence + 1
        var looked = 0
        while sequence <= entry.lastSequence, sequences.count < Int(entry.frameCount) {
            looked += 1
            if looked > Self.walkLimit {
                allFound = false
                break
            }
            if let row = frames.row(sequence), row.connection == head.connection, row.direction == head.direction,
                !row.isHybi00, row.opcode == .continuation
            {
                sequences.append(sequence)
            }
            sequence += 1
        }
        if sequences.count < Int(entry.frameCount) { allFound = false }
    }

    /// The first bytes of the message: its frames' previews one after the other, up to `limit` bytes.
    func previewBytes(_ frames: FrameStore, limit: Int = FrameStore.previewCapacity) -> [UInt8] {
        var bytes: [UInt8] = []
        for sequence in sequences {
            guard bytes.count < limit else { break }
            let preview = frames.preview(sequence)
            bytes.append(contentsOf: preview.prefix(limit - bytes.count))
            // A preview shorter than its frame's payload: what follows is not known.
            if let row = frames.row(sequence), row.previewIsCut(preview) { break }
        }
        return bytes
    }

    /// The whole payload (at most `limit` bytes of it), when every frame's whole payload is still held;
    /// `nil` otherwise.
    func wholePayload(_ frames: FrameStore, limit: Int = .max) -> [UInt8]? {
        guard allFound else { return nil }
        var bytes: [UInt8] = []
        for sequence in sequences {
            guard let row = frames.row(sequence), row.flags.contains(.payloadComplete) else { return nil }
            let held: Bool? = frames.withPayload(sequence) { payload in
                bytes.append(contentsOf: payload.prefix(max(0, limit - bytes.count)))
                return true
            }
            guard held == true else { return nil }
        }
        return bytes
    }

    /// How many payload bytes its frames hold in all (the inflated ones of a compressed message), when every
    /// frame's payload is still held.
    func heldPayloadLength(_ frames: FrameStore) -> Int? {
        guard allFound else { return nil }
        var total = 0
        for sequence in sequences {
            guard let count = frames.withPayload(sequence, { $0.count }) else { return nil }
            total += count
        }
        return total
    }

    /// The violation kinds of its frames, as the bit set ``FrameRow`` keeps.
    func violationKinds(_ frames: FrameStore) -> UInt32 {
        sequences.reduce(0) { $0 | (frames.row($1)?.violationKinds ?? 0) }
    }
}
