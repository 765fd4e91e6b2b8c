import WSTapCore

/// Messages and their bytes per second, each way, over the last ``length`` seconds: the statistics view's
/// charts. A second is complete when the clock ticks past it (idle seconds count as zeros).
struct DirectionHistory: Sendable {
    static let length = 300

    /// One second's counts.
    struct Second: Sendable, Equatable {
        var messages = 0
        var bytes: UInt64 = 0
    }

    private(set) var currentSecond: Int64?
    private var current: [Second] = [Second(), Second()]
    /// Completed seconds, oldest first, per direction (client to server first).
    private(set) var seconds: [[Second]] = [[], []]
    /// Every message counted, per direction.
    private(set) var totals: [Second] = [Second(), Second()]

    static func index(_ direction: TrafficDirection) -> Int { direction == .clientToServer ? 0 : 1 }

    mutating func count(direction: TrafficDirection, bytes: UInt64) {
        let index = Self.index(direction)
        current[index].messages += 1
        current[index].bytes &+= bytes
        totals[index].messages += 1
        totals[index].bytes &+= bytes
    }

    mutating func tick(wallSeconds: Double) {
        let second = Int64(wallSeconds.rounded(.down))
        guard let last = currentSecond else {
            currentSecond = second
            return
        }
        guard second > last else { return }
        push(current)
        for _ in 0..<max(0, min(Int(second - last) - 1, Self.length)) { push([Second(), Second()]) }
        current = [Second(), Second()]
        currentSecond = second
    }

    private mutating func push(_ pair: [Second]) {
        for index in 0..<2 {
            seconds[index].append(pair[index])
            if seconds[index].count > Self.length { seconds[index].removeFirst(seconds[index].count - Self.length) }
        }
    }

    /// The completed seconds of one direction, oldest first.
    func seconds(_ direction: TrafficDirection) -> [Second] { seconds[Self.index(direction)] }

    /// Every message of one direction.
    func total(_ direction: TrafficDirection) -> Second { totals[Self.index(direction)] }
}
