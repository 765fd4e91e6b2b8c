/// What waits for the recorder's writer: items in the order they came, the bytes they count for, and
/// whether so much waits that the sources of traffic should stop reading. It falls behind when the bytes
/// go above the high-water mark and catches up when they are back down to the low-water mark. It never
/// refuses an item and never blocks: the marks only say when to pause and resume the sources.
struct RecordingBacklog<Item> {
    /// Above this many bytes, the backlog is behind.
    let highWaterMark: Int
    /// Once behind, it catches up when no more than this many bytes are left.
    let lowWaterMark: Int
    /// Items not yet taken by the writer, oldest first.
    private(set) var items: [Item] = []
    /// Bytes of the items queued, and of those taken by the writer and not yet written.
    private(set) var byteCount = 0
    /// Whether the sources should stop reading.
    private(set) var isBehind = false

    init(highWaterMark: Int, lowWaterMark: Int) {
        self.highWaterMark = max(highWaterMark, 0)
        self.lowWaterMark = min(max(lowWaterMark, 0), self.highWaterMark)
    }

    /// Whether nothing is queued or being written.
    var isEmpty: Bool { items.isEmpty && byteCount == 0 }

    /// Queues an item; returns true when it made the backlog fall behind.
    mutating func append(_ item: Item, size: Int) -> Bool {
        items.append(item)
        byteCount += size
        guard !isBehind, byteCount > highWaterMark else { return false }
        isBehind = true
        return true
    }

    /// Hands every queued item to the writer, oldest first; their bytes count until ``written(_:)``.
    mutating func takeAll() -> [Item] {
        var taken: [Item] = []
        swap(&taken, &items)
        return taken
    }

    /// The writer wrote (or gave up on) items that counted for `size` bytes; returns true when the backlog
    /// caught up.
    mutating func written(_ size: Int) -> Bool {
        byteCount = max(byteCount - size, 0)
        guard isBehind, byteCount <= lowWaterMark else { return false }
        isBehind = false
        return true
    }

    /// Nothing more will be written (closing, or writing failed): no longer behind. Returns true when it was.
    mutating func stopWaiting() -> Bool {
        defer { isBehind = false }
        return isBehind
    }
}
