public import WSTapCore

/// Pairs requests with their answers across the messages of many connections: a response (sent the other
/// way, with the same exchange id) gets its latency from the request's timestamp; a request that has had
/// no answer after ``timeoutNanoseconds`` is reported unanswered. Pure: the caller passes the times (the
/// events' monotonic clock), so tests drive it with a fake clock.
public struct CorrelationTracker: Sendable {
    /// An exchange waiting for (more of) its answer.
    public struct Pending: Sendable, Equatable {
        /// The connection it is on.
        public var connection: UInt64
        /// The exchange id (``LensCorrelation/id``).
        public var id: String
        /// Which way the request went.
        public var direction: TrafficDirection
        /// The lens that read it.
        public var lens: String
        /// The request's summary.
        public var summary: String
        /// What statistics count the request under (``LensView/method``).
        public var method: String?
        /// When the request was seen.
        public var at: TrafficTimestamp
        /// Whether an answer came (a stream's first item, say): then it is not reported unanswered.
        public var answered = false
    }

    /// What the tracker makes of one message with a correlation.
    public enum Outcome: Sendable, Equatable {
        /// A request, now waiting for its answer.
        case waiting
        /// A response to a request seen `latencyNanoseconds` before it.
        case answered(latencyNanoseconds: UInt64)
        /// A response to no request seen (the request passed before the tap began, or was dropped as
        /// unanswered).
        case unmatched
        /// A message that belongs to an exchange but neither asks nor answers.
        case event
    }

    private struct Key: Hashable {
        var connection: UInt64
        var id: String
        var direction: TrafficDirection
    }

    /// How long a request waits for an answer before it is unanswered.
    public let timeoutNanoseconds: UInt64
    /// How many exchanges may wait at once; beyond, the oldest is reported unanswered.
    public let capacity: Int
    private var pending: [Key: Pending] = [:]
    /// Keys in the order their requests came (some may be answered and gone already).
    private var order: [Key] = []
    private var orderStart = 0

    /// A tracker that gives requests `timeoutNanoseconds` (30 s by default) to be answered, holding at most
    /// `capacity` waiting exchanges.
    public init(timeoutNanoseconds: UInt64 = 30_000_000_000, capacity: Int = 10_000) {
        self.timeoutNanoseconds = timeoutNanoseconds
        self.capacity = max(1, capacity)
    }

    /// The exchanges waiting now, oldest first.
    public var waiting: [Pending] {
        order[orderStart...].compactMap { pending[$0] }.reduce(into: [Pending]()) { list, item in
            if !list.contains(item) { list.append(item) }
        }
    }

    /// Takes a message of `lens` with `correlation` seen going `direction` on `connection` at `at`; returns
    /// what it is, the requests it displaced (a request with the same id before its answer, or the oldest
    /// when ``capacity`` is full), which are unanswered, and for an answer its request.
    public mutating func observe(
        _ correlation: LensCorrelation, lens: String, summary: String, method: String? = nil, connection: UInt64,
        direction: TrafficDirection, at: TrafficTimestamp
    ) -> (outcome: Outcome, unanswered: [Pending], request: Pending?) {
        switch correlation.role {
        case .request:
            let key = Key(connection: connection, id: correlation.id, direction: direction)
            var displaced: [Pending] = []
            if let old = pending[key], !old.answered { displaced.append(old) }
            pending[key] = Pending(
                connection: connection, id: correlation.id, direction: direction, lens: lens, summary: summary,
                method: method, at: at)
            order.append(key)
            while pending.count > capacity, let oldest = popOldest() {
                if !oldest.answered { displaced.append(oldest) }
            }
            compact()
            return (.waiting, displaced, nil)
        case .response:
            let key = Key(
                connection: connection, id: correlation.id,
                direction: direction == .clientToServer ? .serverToClient : .clientToServer)
            guard var request = pending[key] else { return (.unmatched, [], nil) }
            let latency =
                at.monotonicNanoseconds >= request.at.monotonicNanoseconds
                ? at.monotonicNanoseconds - request.at.monotonicNanoseconds : 0
            if correlation.ends {
                pending[key] = nil
            } else {
                request.answered = true
                pending[key] = request
            }
            return (.answered(latencyNanoseconds: latency), [], request)
        case .event:
            if correlation.ends {
                // The exchange ends (a client cancels its subscription): whichever way its request went.
                for way in TrafficDirection.allCases {
                    pending[Key(connection: connection, id: correlation.id, direction: way)] = nil
                }
            }
            return (.event, [], nil)
        }
    }

    /// The requests that have waited longer than the timeout at `now` without any answer; they are no
    /// longer waited for.
    public mutating func expire(now: TrafficTimestamp) -> [Pending] {
        var expired: [Pending] = []
        while orderStart < order.count {
            let key = order[orderStart]
            guard let request = pending[key] else {
                orderStart += 1
                continue
            }
            guard now.monotonicNanoseconds >= request.at.monotonicNanoseconds,
                now.monotonicNanoseconds - request.at.monotonicNanoseconds > timeoutNanoseconds
            else { break }
            orderStart += 1
            pending[key] = nil
            if !request.answered { expired.append(request) }
        }
        compact()
        return expired
    }

    /// The connection closed: its requests without an answer are unanswered, and none of its exchanges is
    /// waited for any longer.
    public mutating func close(connection: UInt64) -> [Pending] {
        var unanswered: [Pending] = []
        for key in order[orderStart...] where key.connection == connection {
            if let request = pending.removeValue(forKey: key), !request.answered { unanswered.append(request) }
        }
        compact()
        return unanswered
    }

    private mutating func popOldest() -> Pending? {
        while orderStart < order.count {
            let key = order[orderStart]
            orderStart += 1
            if let request = pending.removeValue(forKey: key) { return request }
        }
        return nil
    }

    /// Drops the keys before `orderStart` once they are half the list.
    private mutating func compact() {
        if orderStart > 64, orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }
}
