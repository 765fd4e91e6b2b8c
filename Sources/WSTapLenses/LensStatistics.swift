import NIOCore
public import WSTapCore

/// The numbers of lensed traffic: per connection (messages and bytes each way, rate, errors) and per
/// method, event or topic (count, answers, latency p50/p99/max, errors, unanswered requests). Pure: fed
/// the traffic events and what the lenses read in them.
public struct LensStatistics: Sendable {
    /// One connection's numbers.
    public struct Connection: Sendable, Equatable {
        /// Its number.
        public var connection: UInt64
        /// Where it went (`ws://host:port/path`), when its opening was seen.
        public var target: String?
        /// The lens that read it, if one did.
        public var lens: String?
        /// Messages each way (c2s, s2c).
        public var messages: [TrafficDirection: Int] = [:]
        /// Message bytes each way, as the application reads them.
        public var bytes: [TrafficDirection: UInt64] = [:]
        /// Readings that report a failure or do not parse.
        public var errors = 0
        /// When its first and last events were seen.
        public var first: TrafficTimestamp?
        /// When its last event was seen.
        public var last: TrafficTimestamp?

        /// Its length in seconds, from the first event to the last.
        public var seconds: Double {
            guard let first, let last, last.monotonicNanoseconds > first.monotonicNanoseconds else { return 0 }
            return Double(last.monotonicNanoseconds - first.monotonicNanoseconds) / 1e9
        }

        /// Messages per second both ways (0 when it lasted no time).
        public var messagesPerSecond: Double {
            let total = messages.values.reduce(0, +)
            return seconds > 0 ? Double(total) / seconds : 0
        }
    }

    /// The numbers of one method, event, topic or operation of one lens.
    public struct Method: Sendable, Equatable {
        /// The lens.
        public var lens: String
        /// The method (``LensReader/Reading/method``).
        public var method: String
        /// Its messages that are not answers (requests, events, notifications).
        public var count = 0
        /// Answers paired with a request.
        public var answers = 0
        /// Bytes of its messages, answers included.
        public var bytes: UInt64 = 0
        /// Its messages that report a failure or do not parse.
        public var errors = 0
        /// Requests that had no answer.
        public var unanswered = 0
        /// The latencies of its answers, in nanoseconds (bounded in memory: see ``LatencyRecord``).
        public var latencies = LatencyRecord()

        /// The latency below which `fraction` of the answers came (nearest rank), or nil without answers.
        public func latency(percentile fraction: Double) -> UInt64? {
            latencies.percentile(fraction)
        }

        /// The longest latency of its answers, or nil without answers.
        public var maxLatency: UInt64? { latencies.max }
    }

    private struct MethodKey: Hashable {
        var lens: String
        var method: String
    }

    private var connectionRows: [UInt64: Connection] = [:]
    private var methodRows: [MethodKey: Method] = [:]

    /// Nothing counted yet.
    public init() {}

    /// Every connection, in the order of their numbers.
    public var connections: [Connection] {
        connectionRows.values.sorted { $0.connection < $1.connection }
    }

    /// Every method, the most frequent first (then by lens and name).
    public var methods: [Method] {
        methodRows.values.sorted {
            ($0.count + $0.answers, $1.lens, $1.method) > ($1.count + $1.answers, $0.lens, $0.method)
        }
    }

    /// Counts a traffic event: an opening names a connection's target; a message counts its bytes.
    public mutating func add(_ event: TrafficEvent) {
        switch event {
        case .connectionOpened(let opened):
            update(opened.connection, at: opened.at) { $0.target = opened.target }
        case .message(let message):
            update(message.connection, at: message.at) {
                $0.messages[message.direction, default: 0] += 1
                $0.bytes[message.direction, default: 0] += message.length ?? UInt64(message.payload.readableBytes)
            }
        case .connectionClosed(let closed):
            update(closed.connection, at: closed.at) { _ in }
        default:
            break
        }
    }

    /// Counts what a lens read in a message of `bytes` bytes.
    public mutating func add(_ reading: LensReader.Reading, bytes: UInt64) {
        let failed = reading.view.isError || reading.view.problem != nil
        update(reading.connection, at: reading.at) {
            if $0.lens == nil { $0.lens = reading.lens }
            if failed { $0.errors += 1 }
        }
        let key = MethodKey(lens: reading.lens, method: reading.method)
        var row = methodRows[key] ?? Method(lens: reading.lens, method: reading.method)
        if let latency = reading.latencyNanoseconds {
            row.answers += 1
            row.latencies.add(latency)
        } else if reading.view.correlation?.role != .response {
            row.count += 1
        }
        row.bytes += bytes
        if failed { row.errors += 1 }
        methodRows[key] = row
    }

    /// Counts a request that had no answer.
    public mutating func add(unanswered request: CorrelationTracker.Pending) {
        let firstWord = request.summary.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        let key = MethodKey(lens: request.lens, method: request.method ?? firstWord)
        var row = methodRows[key] ?? Method(lens: key.lens, method: key.method)
        row.unanswered += 1
        methodRows[key] = row
    }

    private mutating func update(_ connection: UInt64, at: TrafficTimestamp, _ change: (inout Connection) -> Void) {
        var row = connectionRows[connection] ?? Connection(connection: connection)
        if row.first == nil { row.first = at }
        row.last = at
        change(&row)
        connectionRows[connection] = row
    }
}
