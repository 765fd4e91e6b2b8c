import NIOConcurrencyHelpers
import WSTapCore

/// Events from the event loop, waiting for the user to take them. One reader at a time.
final class ConnectionInbox: Sendable {
    private struct State {
        var events: [ConnectionEvent] = []
        var head = 0
        var waiter: CheckedContinuation<ConnectionEvent?, Never>?
        var finished = false
        /// Called once the reader has taken every event and waits for more.
        var whenWaiting: (@Sendable () -> Void)?
    }

    private let state = NIOLockedValueBox(State())

    /// Adds an event; a `.closed` event ends the inbox after it.
    func push(_ event: ConnectionEvent) {
        let waiter: CheckedContinuation<ConnectionEvent?, Never>? = state.withLockedValue { state in
            guard !state.finished else { return nil }
            if case .closed = event { state.finished = true }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.events.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// Calls `callback` once the reader has taken every event so far and asks for more (at once if it
    /// is already waiting).
    func notifyWhenWaiting(_ callback: @escaping @Sendable () -> Void) {
        let waitingNow = state.withLockedValue { state in
            if state.waiter != nil { return true }
            state.whenWaiting = callback
            return false
        }
        if waitingNow { callback() }
    }

    /// The next event, or `nil` once the connection is closed and every event has been taken.
    func next() async -> ConnectionEvent? {
        await withCheckedContinuation { continuation in
            var notify: (@Sendable () -> Void)? = nil
            defer { notify?() }
            let ready: ConnectionEvent?? = state.withLockedValue { state in
                if state.head < state.events.count {
                    let event = state.events[state.head]
                    state.head += 1
                    if state.head > 1024, state.head * 2 > state.events.count {
                        state.events.removeFirst(state.head)
                        state.head = 0
                    }
                    return .some(event)
                }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                notify = state.whenWaiting
                state.whenWaiting = nil
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// How many events wait to be taken.
    var backlog: Int { state.withLockedValue { $0.events.count - $0.head } }
}
