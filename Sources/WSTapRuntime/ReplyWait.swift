import NIOConcurrencyHelpers

/// Counts the messages `wstap connect` sent and received, so that at the end of its input it can wait for the
/// answers still on their way before it closes: a server that answers a close at once (python websockets
/// does) drops the replies it had not sent yet. Counting takes a lock, not an actor hop: it happens once per
/// message received, on the event loop.
public final class ReplyWait: Sendable {
    private struct Counts {
        var sent = 0
        var received = 0
        var waiter: CheckedContinuation<Void, Never>?
        /// Set once the wait is over, so that a waiting task that starts late does not wait any more.
        var stoppedWaiting = false
    }

    private let counts = NIOLockedValueBox(Counts())

    /// Nothing sent or received yet.
    public init() {}

    /// One message went out.
    public func sentOne() {
        sent(1)
    }

    /// `count` messages went out.
    public func sent(_ count: Int) {
        counts.withLockedValue { $0.sent += count }
    }

    /// One message came in.
    public func receivedOne() {
        let waiter: CheckedContinuation<Void, Never>? = counts.withLockedValue { counts in
            counts.received += 1
            guard counts.received >= counts.sent else { return nil }
            defer { counts.waiter = nil }
            return counts.waiter
        }
        waiter?.resume()
    }

    /// Returns once as many messages came in as went out, or after `limit`, whichever is first.
    public func untilAnswered(within limit: Duration) async {
        guard limit > .zero, counts.withLockedValue({ $0.sent > $0.received }) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForAnswers() }
            group.addTask {
                try? await Task.sleep(for: limit)
                self.stopWaiting()
            }
            await group.next()
            stopWaiting()
            group.cancelAll()
        }
    }

    private func waitForAnswers() async {
        await withCheckedContinuation { continuation in
            let waitsNow = counts.withLockedValue { counts in
                guard counts.sent > counts.received, !counts.stoppedWaiting else { return false }
                counts.waiter = continuation
                return true
            }
            if !waitsNow { continuation.resume() }
        }
    }

    private func stopWaiting() {
        let waiter: CheckedContinuation<Void, Never>? = counts.withLockedValue { counts in
            counts.stoppedWaiting = true
            defer { counts.waiter = nil }
            return counts.waiter
        }
        waiter?.resume()
    }
}
