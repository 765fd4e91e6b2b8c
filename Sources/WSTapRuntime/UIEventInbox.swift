import NIOConcurrencyHelpers
public import WSTapCore
public import WSTapUI

/// Where network threads leave events for the terminal UI's loop, which takes them all at once per
/// redraw (so a flood of frames costs one redraw, and key presses are never stuck behind them).
/// Bounded: past `limit` waiting traffic events, new ones are counted and dropped from the screen
/// (the proxy still relays them).
public final class UIEventInbox: Sendable {
    private struct Pending {
        var traffic: [TrafficEvent] = []
        /// Events before this index were taken already.
        var start = 0
        var other: [UIEvent] = []
        var dropped = 0
        /// Frames taken (not dropped) since the start.
        var framesTaken = 0
        /// Readers waiting for room (``waitForRoom(atMost:)``), by id.
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
        /// Waiters cancelled before they were stored.
        var cancelledWaiters: Set<Int> = []

        var trafficCount: Int { traffic.count - start }
    }

    private struct Waiter {
        var atMost: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private let pending = NIOLockedValueBox(Pending())
    /// How many traffic events may wait before new ones are dropped from the screen.
    public let limit: Int

    /// An empty inbox that holds at most `limit` traffic events waiting.
    public init(limit: Int = 1_000_000) {
        self.limit = limit
    }

    /// Adds a traffic event; for a frame, returns its number among the frames this inbox took (from 0),
    /// which is the UI's sequence number for it when this inbox is where all the UI's frames come from
    /// (`nil` for other events, and for a frame dropped because too many wait).
    @discardableResult
    public func add(_ event: TrafficEvent) -> Int? {
        pending.withLockedValue { pending -> Int? in
            guard pending.trafficCount < limit else {
                pending.dropped += 1
                return nil
            }
            pending.traffic.append(event)
            guard case .frame = event else { return nil }
            pending.framesTaken += 1
            return pending.framesTaken - 1
        }
    }

    /// Adds an event other than traffic (a notice, a result): never dropped.
    public func add(_ event: UIEvent) {
        pending.withLockedValue { $0.other.append(event) }
    }

    /// How many traffic events wait.
    public var pendingTrafficCount: Int { pending.withLockedValue { $0.trafficCount } }

    /// How many callers wait in ``waitForRoom(atMost:)``.
    var waitingForRoomCount: Int { pending.withLockedValue { $0.waiters.count } }

    /// Returns once at most `count` traffic events wait (at once if so already), or when the task is
    /// cancelled: a source that can outrun the screen (a recording read from disk) waits here for the UI's
    /// loop to take what it sent, instead of filling the inbox past its bound.
    public func waitForRoom(atMost count: Int) async {
        let id = pending.withLockedValue { pending in
            pending.nextWaiter += 1
            return pending.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = pending.withLockedValue { pending -> Bool in
                    if pending.trafficCount <= count || pending.cancelledWaiters.remove(id) != nil { return true }
                    pending.waiters[id] = Waiter(atMost: count, continuation: continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = pending.withLockedValue { pending -> Waiter? in
                if let waiter = pending.waiters.removeValue(forKey: id) { return waiter }
                pending.cancelledWaiters.insert(id)
                return nil
            }
            waiter?.continuation.resume()
        }
    }

    /// What arrived since the last call, as events for `reduce`: at most `maxTraffic` traffic events at
    /// a time, so that one batch never keeps the loop from the keyboard for long (the rest wait for the
    /// next turn).
    public func drain(maxTraffic: Int = 25_000) -> [UIEvent] {
        let (other, traffic, dropped, ready) = pending.withLockedValue { pending in
            let end = min(pending.traffic.count, pending.start + maxTraffic)
            let traffic = Array(pending.traffic[pending.start..<end])
            pending.start = end
            if pending.start == pending.traffic.count {
                pending.traffic.removeAll(keepingCapacity: pending.traffic.count < 65_536)
                pending.start = 0
            }
            defer {
                pending.other = []
                pending.dropped = 0
            }
            var ready: [Waiter] = []
            for (id, waiter) in pending.waiters where pending.trafficCount <= waiter.atMost {
                ready.append(waiter)
                pending.waiters[id] = nil
            }
            return (pending.other, traffic, pending.dropped, ready)
        }
        for waiter in ready { waiter.continuation.resume() }
        var events = other
        if !traffic.isEmpty { events.append(.traffic(traffic)) }
        if dropped > 0 {
            events.append(.notice("\(dropped) events came faster than the screen could take them: not shown"))
        }
        return events
    }
}
