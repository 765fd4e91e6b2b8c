import NIOConcurrencyHelpers
import WSTapCore
import WSTapUI

/// Where network threads leave events for the terminal UI's loop, which takes them all at once per
/// redraw (so a flood of frames costs one redraw, and key presses are never stuck behind them).
/// Bounded: past `limit` waiting traffic events, new ones are counted and dropped from the screen
/// (the proxy still relays them).
final class UIEventInbox: Sendable {
    private struct Pending {
        var traffic: [TrafficEvent] = []
        var other: [UIEvent] = []
        var dropped = 0
    }

    private let pending = NIOLockedValueBox(Pending())
    let limit: Int

    init(limit: Int = 1_000_000) {
        self.limit = limit
    }

    func add(_ event: TrafficEvent) {
        pending.withLockedValue { pending in
            if pending.traffic.count >= limit {
                pending.dropped += 1
            } else {
                pending.traffic.append(event)
            }
        }
    }

    func add(_ event: UIEvent) {
        pending.withLockedValue { $0.other.append(event) }
    }

    /// Everything that arrived since the last call, as events for `reduce`.
    func drain() -> [UIEvent] {
        let taken = pending.withLockedValue { pending in
            defer { pending = Pending() }
            return pending
        }
        var events = taken.other
        if !taken.traffic.isEmpty { events.append(.traffic(taken.traffic)) }
        if taken.dropped > 0 {
            events.append(.notice("\(taken.dropped) events came faster than the screen could take them: not shown"))
        }
        return events
    }
}
