import NIOCore
public import WSTapCore

/// The lenses applied to a stream of traffic events, connection by connection: it picks each connection's
/// lens (forced, or by subprotocol, URL or first messages), decodes its messages and pairs requests with
/// answers. Pure: the caller feeds it events in order (from one or many connections) and prints or shows
/// what it returns.
///
/// A connection no lens claims by its first ``firstMessagesTried`` messages is left alone: its later
/// messages cost one dictionary look-up.
public struct LensReader: Sendable {
    /// Which lens reads connections.
    public indirect enum Choice: Sendable {
        /// The lens that claims each connection, if any.
        case automatic
        /// This lens, for every connection.
        case forced(any Lens)
        /// None.
        case off
        /// The first rule whose test the connection's opening passes decides (its lens, or none); the other
        /// connections (and those whose opening was not seen) as `otherwise` says (`--lens NAME:FILTER`).
        case rules([Rule], otherwise: Choice)

        /// `auto` (or nothing), `none`, or a lens's name; nil for an unknown name.
        public init?(name: String?) {
            switch name?.lowercased() {
            case nil, "auto": self = .automatic
            case "none", "off": self = .off
            case let other?:
                guard let lens = LensRegistry.named(other) else { return nil }
                self = .forced(lens)
            }
        }

        /// Whether any lens reads anything.
        public var isOn: Bool {
            switch self {
            case .off: return false
            case .rules(let rules, let otherwise): return otherwise.isOn || rules.contains { $0.lens != nil }
            case .automatic, .forced: return true
            }
        }
    }

    /// A lens (or none) for the connections whose opening passes a test.
    public struct Rule: Sendable {
        /// The lens; nil for none.
        public var lens: (any Lens)?
        /// Whether a connection's opening is one the rule is for.
        public var applies: @Sendable (TrafficEvent.ConnectionOpened) -> Bool

        /// `lens` (or none) for the connections whose opening passes `applies`.
        public init(lens: (any Lens)?, applies: @escaping @Sendable (TrafficEvent.ConnectionOpened) -> Bool) {
            self.lens = lens
            self.applies = applies
        }
    }

    /// What a lens read in a message.
    public struct Reading: Sendable {
        /// The connection the message passed on.
        public var connection: UInt64
        /// Which way it went.
        public var direction: TrafficDirection
        /// The lens's name.
        public var lens: String
        /// What it read.
        public var view: LensView
        /// For a response paired with its request: the time between them.
        public var latencyNanoseconds: UInt64?
        /// What statistics count it under: its own method, its request's for an answer, else the first
        /// word of its summary.
        public var method: String
        /// When the message was seen.
        public var at: TrafficTimestamp
    }

    /// What one event gave: the readings of a message, and requests now known to be unanswered.
    public struct Output: Sendable {
        /// The message's readings (none for other events, for a connection no lens reads, or while a
        /// message waits for the rest of its packet).
        public var readings: [Reading] = []
        /// Requests that had no answer within the timeout, or whose connection closed first.
        public var unanswered: [CorrelationTracker.Pending] = []
        /// When the event happened (for the notes about unanswered requests), if it says.
        public var at: TrafficTimestamp?

        /// Nothing: no readings, no unanswered requests.
        public init() {}

        /// Whether there is nothing in it.
        public var isEmpty: Bool { readings.isEmpty && unanswered.isEmpty }
    }

    private enum State: Sendable {
        case undecided(LensConnection, tried: Int)
        case reading(name: String, decoder: any LensDecoder)
        case unclaimed
    }

    /// How many messages of a connection are offered to the lenses before it is left alone.
    public static let firstMessagesTried = 4

    /// Which lens reads connections.
    public let choice: Choice
    private var connections: [UInt64: State] = [:]
    /// What each open connection was opened with, for a lens chosen for it later (``choose(_:for:)``).
    private var openings: [UInt64: LensConnection] = [:]
    private var tracker: CorrelationTracker

    /// A reader with lenses chosen by `choice`, pairing requests and answers with `tracker`.
    public init(choice: Choice, tracker: CorrelationTracker = CorrelationTracker()) {
        self.choice = choice
        self.tracker = tracker
    }

    /// The readings and unanswered requests `event` gives.
    public mutating func read(_ event: TrafficEvent) -> Output {
        var output = Output()
        switch event {
        case .connectionOpened(let opened):
            output.at = opened.at
            let connection = LensConnection(subprotocol: opened.subprotocol, target: opened.request.target)
            openings[opened.connection] = connection
            connections[opened.connection] = state(for: connection, choice: Self.choice(choice, for: opened))
            output.unanswered = tracker.expire(now: opened.at)
        case .message(let message):
            output.at = message.at
            output.unanswered = tracker.expire(now: message.at)
            output.readings = read(message, unanswered: &output.unanswered)
        case .connectionClosed(let closed):
            output.at = closed.at
            connections[closed.connection] = nil
            openings[closed.connection] = nil
            output.unanswered = tracker.expire(now: closed.at) + tracker.close(connection: closed.connection)
        default:
            break
        }
        return output
    }

    /// Chooses the lens of one connection from its next message on: `lens`, none (`nil`), or (`automatic`)
    /// the one that claims it as if it had just opened. Its requests still waiting stay paired.
    public mutating func choose(_ lens: (any Lens)?, for connection: UInt64, automatic: Bool = false) {
        let opening = openings[connection] ?? LensConnection(subprotocol: nil, target: "/")
        if automatic {
            connections[connection] =
                LensRegistry.claiming(opening).map { .reading(name: $0.name, decoder: $0.decoder(for: opening)) }
                ?? .undecided(opening, tried: 0)
        } else if let lens {
            connections[connection] = .reading(name: lens.name, decoder: lens.decoder(for: opening))
        } else {
            connections[connection] = .unclaimed
        }
    }

    /// The name of the lens reading `connection` now, if one is.
    public func lensName(of connection: UInt64) -> String? {
        if case .reading(let name, _) = connections[connection] { return name }
        return nil
    }

    /// The requests unanswered at `now` (the timeout passed): for a timer, so that a silent connection's
    /// requests are told without waiting for its next event.
    public mutating func expire(now: TrafficTimestamp) -> [CorrelationTracker.Pending] {
        tracker.expire(now: now)
    }

    /// The choice that applies to a connection: a rule's, when one is for it.
    private static func choice(_ choice: Choice, for opened: TrafficEvent.ConnectionOpened) -> Choice {
        guard case .rules(let rules, let otherwise) = choice else { return choice }
        guard let rule = rules.first(where: { $0.applies(opened) }) else {
            return Self.choice(otherwise, for: opened)
        }
        return rule.lens.map(Choice.forced) ?? .off
    }

    private func state(for connection: LensConnection, choice: Choice? = nil) -> State {
        switch choice ?? self.choice {
        case .rules(_, let otherwise): return state(for: connection, choice: otherwise)
        case .off: return .unclaimed
        case .forced(let lens): return .reading(name: lens.name, decoder: lens.decoder(for: connection))
        case .automatic:
            if let lens = LensRegistry.claiming(connection) {
                return .reading(name: lens.name, decoder: lens.decoder(for: connection))
            }
            return .undecided(connection, tried: 0)
        }
    }

    private mutating func read(
        _ seen: TrafficEvent.MessageSeen, unanswered: inout [CorrelationTracker.Pending]
    ) -> [Reading] {
        // A connection whose opening was not seen (the tap began later) is recognised by its messages.
        let current = connections[seen.connection] ?? state(for: LensConnection(subprotocol: nil, target: "/"))
        if case .unclaimed = current { return [] }
        let message = LensMessage(
            direction: seen.direction, isText: seen.isText, bytes: Array(seen.payload.readableBytesView),
            isCut: seen.isCut)
        var name: String
        var decoder: any LensDecoder
        switch current {
        case .unclaimed: return []
        case .reading(let lensName, let lensDecoder):
            name = lensName
            decoder = lensDecoder
        case .undecided(let connection, let tried):
            guard let lens = LensRegistry.claiming(firstMessage: message) else {
                connections[seen.connection] =
                    tried + 1 >= Self.firstMessagesTried ? .unclaimed : .undecided(connection, tried: tried + 1)
                return []
            }
            name = lens.name
            decoder = lens.decoder(for: connection)
        }
        // Free the stored decoder while this one is changed, so that it is not copied.
        connections[seen.connection] = .unclaimed
        let views = message.isCut ? decoder.cut(message) : decoder.decode(message)
        connections[seen.connection] = .reading(name: name, decoder: decoder)
        return views.map { view in
            var reading = Reading(
                connection: seen.connection, direction: seen.direction, lens: name, view: view,
                method: view.method ?? Self.firstWord(of: view.summary), at: seen.at)
            if let correlation = view.correlation {
                let (outcome, displaced, request) = tracker.observe(
                    correlation, lens: name, summary: view.summary, method: view.method, connection: seen.connection,
                    direction: seen.direction, at: seen.at)
                if case .answered(let latency) = outcome { reading.latencyNanoseconds = latency }
                if view.method == nil, let method = request?.method { reading.method = method }
                unanswered += displaced
            }
            return reading
        }
    }

    /// The first word of a summary (what statistics count a message under when its lens names no method).
    private static func firstWord(of summary: String) -> String {
        String(summary.prefix { $0 != " " })
    }
}
