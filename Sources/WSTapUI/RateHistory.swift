/// Frames and bytes per second over the last minute, for the status bar and its sparkline.
struct RateHistory: Hashable, Sendable {
    static let length = 60
    /// Whole seconds of the bucket being filled.
    private(set) var currentSecond: Int64?
    private(set) var currentFrames = 0
    private(set) var currentBytes: UInt64 = 0
    /// Completed seconds, oldest first.
    private(set) var frames: [Int] = []
    private(set) var bytes: [UInt64] = []

    mutating func count(bytes byteCount: UInt64) {
        currentFrames += 1
        currentBytes &+= byteCount
    }

    /// The clock moved: completed seconds go into the history (idle seconds as zeros).
    mutating func tick(wallSeconds: Double) {
        let second = Int64(wallSeconds.rounded(.down))
        guard let current = currentSecond else {
            currentSecond = second
            return
        }
        guard second > current else { return }
        push(currentFrames, currentBytes)
        let idle = min(Int(second - current) - 1, Self.length)
        for _ in 0..<max(0, idle) { push(0, 0) }
        currentFrames = 0
        currentBytes = 0
        currentSecond = second
    }

    private mutating func push(_ frameCount: Int, _ byteCount: UInt64) {
        frames.append(frameCount)
        bytes.append(byteCount)
        if frames.count > Self.length {
            frames.removeFirst(frames.count - Self.length)
            bytes.removeFirst(bytes.count - Self.length)
        }
    }

    /// Frames in the last completed second.
    var framesPerSecond: Int { frames.last ?? 0 }
    var bytesPerSecond: UInt64 { bytes.last ?? 0 }

    /// The last `width` seconds of frame counts as block characters.
    func sparkline(width: Int) -> String {
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let shown = frames.suffix(width)
        let peak = max(shown.max() ?? 0, 1)
        var out = String(repeating: " ", count: max(0, width - shown.count))
        for value in shown {
            out.append(value == 0 ? " " : blocks[min(7, value * 7 / peak)])
        }
        return out
    }
}
