import NIOConcurrencyHelpers
import NIOCore
import WSTapCore

/// Events from the event loop, waiting for the user to take them. One reader at a time.
///
/// It counts the payload bytes waiting and says when they pass ``limit``: the channel handler then stops
/// reading from the socket until the reader has taken enough (the inbox has drained to half the limit),
/// so that an application that reads slowly holds the peer back instead of letting events pile up.
final class ConnectionInbox: Sendable {
    private struct State {
        /// The events not yet taken (a taken event leaves at once: nothing keeps its bytes alive). Room for 4 at
        /// first (it doubles as needed): an idle connection keeps this storage, and room for NIO's default of 16
        /// events was a sizeable part of the 12 KiB an idle connection may take (issue 21).
        var events = CircularBuffer<ConnectionEvent>(initialCapacity: 4)
        /// How many of `events` are messages or first chunks of one.
        var messagesWaiting = 0
        var waiter: CheckedContinuation<ConnectionEvent?, Never>?
        var finished = false
        /// Called once the reader has taken every event and waits for more.
        var whenWaiting: (@Sendable () -> Void)?
        /// Whether the last event the reader took was a message or a chunk of one, and it has not asked
        /// for the next event since (it may be answering that message).
        var readerHoldsMessage = false
        /// Whether a `.closed` event was pushed.
        var closedPushed = false
        var bufferedBytes = 0
        var statistics = InboxStatistics()
        var isOverLimit = false
        /// Called when the inbox drains below the low-water mark after being over its limit.
        var whenDrained: (@Sendable () -> Void)?
    }

    /// Payload bytes waiting past which the handler stops reading.
    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int = 1 << 20) {
        self.limit = max(1, limit)
    }

    /// Adds an event; a `.closed` event ends the inbox after it.
    func push(_ event: ConnectionEvent) {
        let waiter: CheckedContinuation<ConnectionEvent?, Never>? = state.withLockedValue { state in
            guard !state.finished else { return nil }
            if case .closed = event {
                state.finished = true
                state.closedPushed = true
                // The callbacks hold the connection's handler, which holds this inbox: once the connection is
                // closed nothing needs them, and dropping them lets both go.
                state.whenDrained = nil
                state.whenWaiting = nil
            }
            if let waiter = state.waiter {
                state.waiter = nil
                state.readerHoldsMessage = Self.isMessageData(event)
                return waiter
            }
            state.events.append(event)
            if Self.beginsMessage(event) { state.messagesWaiting += 1 }
            state.bufferedBytes += Self.size(of: event)
            state.statistics.peakBufferedBytes = max(state.statistics.peakBufferedBytes, state.bufferedBytes)
            if !state.isOverLimit, state.bufferedBytes > limit {
                state.isOverLimit = true
                state.statistics.timesOverLimit += 1
            }
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// Whether the events waiting hold more than ``limit`` bytes (and have not drained to half of it since).
    var isOverLimit: Bool { state.withLockedValue { $0.isOverLimit } }

    /// Calls `callback` every time the inbox drains after being over its limit, until the `.closed` event.
    func notifyWhenDrained(_ callback: @escaping @Sendable () -> Void) {
        state.withLockedValue { state in
            guard !state.finished else { return }
            state.whenDrained = callback
        }
    }

    /// Whether the `.closed` event has been added (whether or not the reader took it).
    var hasClosed: Bool { state.withLockedValue { $0.closedPushed } }

    /// Calls `callback` once the reader is done with every message so far: at once when it waits for an
    /// event, or when no message (nor chunk of one) waits to be taken and the last event it took was not one
    /// (so it is not answering a message); otherwise once it has taken them and asks for more.
    func notifyWhenSettled(_ callback: @escaping @Sendable () -> Void) {
        let settledNow = state.withLockedValue { state in
            if state.waiter != nil || state.finished { return true }
            if !state.readerHoldsMessage, !state.events.contains(where: Self.isMessageData) {
                return true
            }
            state.whenWaiting = callback
            return false
        }
        if settledNow { callback() }
    }

    private static func isMessageData(_ event: ConnectionEvent) -> Bool {
        switch event {
        case .message, .messageChunk: return true
        default: return false
        }
    }

    /// Whether a message (whole, or the first chunk of a streamed one) waits to be taken.
    var holdsMessage: Bool {
        state.withLockedValue { state in
            state.messagesWaiting > 0
        }
    }

    /// Whether an event is a message or the first chunk of one (what ``holdsMessage`` counts).
    private static func beginsMessage(_ event: ConnectionEvent) -> Bool {
        switch event {
        case .message: return true
        case .messageChunk(let chunk): return chunk.isFirst
        default: return false
        }
    }

    /// The next event, or `nil` once the connection is closed and every event has been taken.
    func next() async -> ConnectionEvent? {
        await withCheckedContinuation { continuation in
            var notify: (@Sendable () -> Void)? = nil
            defer { notify?() }
            let ready: ConnectionEvent?? = state.withLockedValue { state in
                if let event = state.events.popFirst() {
                    if Self.beginsMessage(event) { state.messagesWaiting -= 1 }
                    state.bufferedBytes -= Self.size(of: event)
                    state.readerHoldsMessage = Self.isMessageData(event)
                    if state.isOverLimit, state.bufferedBytes <= limit / 2 {
                        state.isOverLimit = false
                        notify = state.whenDrained
                    }
                    return .some(event)
                }
                if state.finished { return .some(nil) }
                state.readerHoldsMessage = false
                state.waiter = continuation
                notify = state.whenWaiting
                state.whenWaiting = nil
                if state.isOverLimit {
                    // Everything was taken: nothing holds reading back any more.
                    state.isOverLimit = false
                    let drained = state.whenDrained
                    let waiting = notify
                    notify = {
                        waiting?()
                        drained?()
                    }
                }
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// How many events wait to be taken.
    var backlog: Int { state.withLockedValue { $0.events.count } }

    /// Payload bytes waiting now, and the counts kept since the connection opened.
    var statistics: InboxStatistics {
        state.withLockedValue { state in
            var statistics = state.statistics
            statistics.bufferedBytes = state.bufferedBytes
            return statistics
        }
    }

    /// The payload bytes an event holds.
    private static func size(of event: ConnectionEvent) -> Int {
        switch event {
        case .message(let message): return message.data.readableBytes
        case .messageChunk(let chunk): return chunk.data.readableBytes
        case .ping(let payload), .pong(let payload): return payload.readableBytes
        case .frameReceived(let frame): return frame.payload.readableBytes
        case .hybi00FrameReceived(let frame): return frame.payload.readableBytes
        case .keepaliveRoundTrip, .closed: return 0
        }
    }
}
