import NIOCore
public import WSTapCore

/// Several stages acting as one, in order: intercept first, then the rules, then a script. A message goes
/// through every stage that acts on its direction; a stage that replaces it hands the new message to the next,
/// one that drops it (or closes the connection) ends the chain; messages stages inject add up. A stage that takes its time holds the chain there: the rest decide when its
/// answer comes. A frame is held when any stage holds it.
public struct StageChain: TrafficStage {
    /// The stages, in the order they decide.
    public let stages: [any TrafficStage]

    /// The stages in this order.
    public init(_ stages: [any TrafficStage]) {
        self.stages = stages
    }

    /// Whether any stage acts on the messages going `direction`.
    public func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
        stages.contains { $0.acts(on: direction, of: opened) }
    }

    /// Whether any stage holds frames going `direction`.
    public func holdsFrames(going direction: TrafficDirection) -> Bool {
        stages.contains { $0.holdsFrames(going: direction) }
    }

    /// Whether a stage that holds frames in its direction holds this one.
    public func holds(_ frame: TrafficEvent.FrameSeen) -> Bool {
        stages.contains { $0.holdsFrames(going: frame.direction) && $0.holds(frame) }
    }

    /// The stages' decisions in order, each made at once.
    public func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
        var outcome = ChainOutcome(original: message)
        for stage in stages where stage.acts(on: message.direction, of: opened) {
            if outcome.take(stage.decide(outcome.message, of: opened)) { break }
        }
        return outcome.decision
    }

    /// The stages' decisions in order; nil when one takes its time (`later` then gets the chain's decision).
    public func decide(
        _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
    ) -> StageDecision? {
        decide(from: 0, ChainOutcome(original: message), of: opened, later: later)
    }

    /// The stages from `index` on decide on what the ones before made of the message.
    private func decide(
        from index: Int, _ outcome: ChainOutcome, of opened: TrafficEvent.ConnectionOpened, later: StageReply
    ) -> StageDecision? {
        var outcome = outcome
        for position in index..<stages.count {
            let stage = stages[position]
            guard stage.acts(on: outcome.message.direction, of: opened) else { continue }
            let sofar = outcome
            let reply = StageReply { decision in
                var outcome = sofar
                if outcome.take(decision) {
                    later(outcome.decision)
                } else if let rest = self.decide(from: position + 1, outcome, of: opened, later: later) {
                    later(rest)
                }
            }
            guard let decision = stage.decide(outcome.message, of: opened, later: reply) else { return nil }
            if outcome.take(decision) { break }
        }
        return outcome.decision
    }
}

/// What the stages of a chain decided so far: the message as the next stage sees it, and who changed it.
private struct ChainOutcome: Sendable {
    /// The message as it came, and as the next stage gets it.
    let original: TrafficEvent.MessageSeen
    var message: TrafficEvent.MessageSeen
    var verdict = StageDecision.Verdict.pass
    var by: [String] = []
    var reply: (payload: ByteBuffer, isText: Bool)?
    var inject: [(payload: ByteBuffer, isText: Bool)] = []
    var close: (code: CloseCode, reason: String)?

    init(original: TrafficEvent.MessageSeen) {
        self.original = original
        message = original
    }

    /// Takes one stage's decision; true when it ends the chain (a drop, a close). Messages injected add up.
    mutating func take(_ decision: StageDecision) -> Bool {
        if !decision.by.isEmpty { by.append(decision.by) }
        if reply == nil { reply = decision.reply }
        inject += decision.inject
        if let asked = decision.close {
            close = asked
            if case .pass = decision.verdict { return true }
        }
        switch decision.verdict {
        case .pass:
            return false
        case .drop:
            verdict = .drop
            return true
        case .replace(let payload, let isText):
            verdict = .replace(payload, isText: isText)
            message.payload = payload
            message.isText = isText
            message.length = UInt64(payload.readableBytes)
            message.wasCompressed = false
            return close != nil
        }
    }

    /// The chain's decision.
    var decision: StageDecision {
        var decision = StageDecision(verdict: verdict, by: by.joined(separator: ", "), reply: reply)
        decision.inject = inject
        decision.close = close
        return decision
    }
}
