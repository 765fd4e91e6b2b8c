import NIOCore
public import WSTapCore

/// Several stages one after the other (the rule flags, then each `--script`): each sees the message as the one
/// before it left it. A drop or a close ends the chain; a replaced message goes on to the next stage as the new
/// message; answers to the sender and injected messages add up; the names of what changed it are joined. A stage
/// that decides later holds the chain until it did.
public final class StageChain: TrafficStage {
    /// The stages, in the order they see a message.
    public let stages: [any TrafficStage]

    /// A chain of `stages`.
    public init(_ stages: [any TrafficStage]) {
        self.stages = stages
    }

    /// The stages given, as one: `nil` without any, the stage itself when there is one.
    public static func combining(_ stages: [any TrafficStage]) -> (any TrafficStage)? {
        stages.count <= 1 ? stages.first : StageChain(stages)
    }

    /// Whether any stage acts on `direction`.
    public func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
        stages.contains { $0.acts(on: direction, of: opened) }
    }

    /// Every stage's decision, now (a stage that would decide later decides now: see ``decide(_:of:later:)``).
    public func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
        var state = Progress(message: message)
        for stage in stages where stage.acts(on: message.direction, of: opened) {
            guard state.take(stage.decide(state.message, of: opened)) else { break }
        }
        return state.decision
    }

    /// Every stage's decision in turn; later as soon as one of them decides later.
    public func decide(
        _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
    ) -> StageDecision? {
        continueDeciding(Progress(message: message), from: 0, of: opened, later: later, isLater: false)
    }

    /// Asks the stages from `index` on; `nil` once one of them answers later (then `later` gets the end result).
    private func continueDeciding(
        _ progress: Progress, from index: Int, of opened: TrafficEvent.ConnectionOpened, later: StageReply,
        isLater: Bool
    ) -> StageDecision? {
        var progress = progress
        var index = index
        while index < stages.count {
            let stage = stages[index]
            index += 1
            guard stage.acts(on: progress.message.direction, of: opened) else { continue }
            let next = index
            let soFar = progress
            let reply = StageReply { [self] decision in
                var progress = soFar
                guard progress.take(decision) else {
                    later(progress.decision)
                    return
                }
                if let decision = continueDeciding(progress, from: next, of: opened, later: later, isLater: true) {
                    later(decision)
                }
            }
            guard let decision = stage.decide(progress.message, of: opened, later: reply) else { return nil }
            guard progress.take(decision) else { break }
        }
        if isLater {
            later(progress.decision)
            return nil
        }
        return progress.decision
    }

    /// The decisions taken so far, and the message as they left it.
    private struct Progress {
        var message: TrafficEvent.MessageSeen
        var decision = StageDecision.pass
        private var names: [String] = []

        init(message: TrafficEvent.MessageSeen) {
            self.message = message
        }

        /// Takes one stage's decision; false when it ends the chain (a drop or a close).
        mutating func take(_ next: StageDecision) -> Bool {
            if !next.by.isEmpty { names.append(next.by) }
            decision.by = names.joined(separator: ", ")
            if let reply = next.reply { decision.reply = reply }
            decision.inject += next.inject
            if let close = next.close { decision.close = close }
            switch next.verdict {
            case .pass:
                break
            case .drop:
                decision.verdict = .drop
                return false
            case .replace(let payload, let isText):
                decision.verdict = .replace(payload, isText: isText)
                message.payload = payload
                message.isText = isText
                message.length = UInt64(payload.readableBytes)
            }
            return decision.close == nil
        }
    }
}
