import Dispatch
import NIOConcurrencyHelpers
import NIOCore
public import WSTapCore
public import WSTapFilter

/// The stage of the proxy's rule flags (`--drop`, `--respond`, `--rewrite`, `--delay`): rules applied in order
/// to every whole message, each way. A drop rule whose filter matches drops the message; a respond rule drops it
/// and answers its sender from the proxy; rewrite rules replace what their expression matches in the text of
/// text messages (only where their filter, if they have one, matches); delay rules hold the message for a while
/// (the decision comes later). A message that no rule changes passes with its bytes unchanged; binary messages
/// and text that is not valid UTF-8 are never rewritten (a drop rule may still drop them).
public final class RuleStage: TrafficStage {
    /// One rule.
    public enum Rule: Sendable, CustomStringConvertible {
        /// `--rewrite [/FILTER]/FIND/REPLACE/`
        case rewrite(RewriteRule)
        /// `--drop FILTER`
        case drop(FilterExpression, text: String)
        /// `--delay FILTER=MS`
        case delay(DelayRule)
        /// `--respond FILTER=PAYLOAD`
        case respond(RespondRule)

        /// Its flag's name.
        var flag: String {
            switch self {
            case .rewrite: return "rewrite"
            case .drop: return "drop"
            case .delay: return "delay"
            case .respond: return "respond"
            }
        }

        /// The rule as written, after its flag.
        var text: String {
            switch self {
            case .rewrite(let rule): return rule.text
            case .drop(_, let text): return text
            case .delay(let rule): return rule.text
            case .respond(let rule): return rule.text
            }
        }

        /// Its filter, if it has one.
        var filter: FilterExpression? {
            switch self {
            case .rewrite(let rule): return rule.filter
            case .drop(let filter, _): return filter
            case .delay(let rule): return rule.filter
            case .respond(let rule): return rule.filter
            }
        }

        /// The rule as written, with its flag.
        public var description: String { "\(flag) \(text)" }
    }

    /// The rules, in the order they apply.
    public let rules: [Rule]
    private let hits: NIOLockedValueBox<[Int]>
    /// Whether a rule's filter tests what lenses read (`~lens`, `~field`): only then is a message read by one.
    private let readsLenses: Bool

    /// A stage of these rules.
    public init(rules: [Rule]) {
        self.rules = rules
        hits = NIOLockedValueBox(Array(repeating: 0, count: rules.count))
        readsLenses = rules.contains { $0.filter?.readsLenses == true }
    }

    /// How many messages each rule changed or dropped so far, in the rules' order.
    public var hitCounts: [Int] { hits.withLockedValue { $0 } }

    /// Every direction of every connection (a rule's filter says which messages it takes).
    public func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
        !rules.isEmpty
    }

    /// The message with every rule applied, or `pass` when none changed it (delays are left out: see
    /// ``decide(_:of:later:)``).
    public func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
        evaluate(message, of: opened).decision
    }

    /// The message with every rule applied; when delay rules took it, the decision comes after their delays
    /// (added up).
    public func decide(
        _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
    ) -> StageDecision? {
        let (decision, milliseconds) = evaluate(message, of: opened)
        guard milliseconds > 0 else { return decision }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { later(decision) }
        return nil
    }

    /// Rules in order: a drop or a respond rule that matches ends it; rewrites change the text the later rules
    /// see; delays add up.
    private func evaluate(
        _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened
    ) -> (decision: StageDecision, delay: Int) {
        var subject = FilterSubject(message: message, opened: opened)
        if readsLenses { subject.readLenses() }
        var text = message.isText ? String(validating: message.payload.readableBytesView, as: UTF8.self) : nil
        var applied: [Int] = []
        var delay = 0
        var delayedBy: [Int] = []
        for (index, rule) in rules.enumerated() {
            switch rule {
            case .drop(let filter, _):
                guard filter.matches(subject) else { continue }
                count([index] + delayedBy)
                return (StageDecision(verdict: .drop, by: name(index)), delay)
            case .respond(let respond):
                guard respond.filter?.matches(subject) ?? true else { continue }
                count([index] + delayedBy)
                let decision = StageDecision(
                    verdict: .drop, by: name(index), reply: (respond.payload, respond.isText))
                return (decision, delay)
            case .rewrite(let rewrite):
                guard let current = text, rewrite.filter?.matches(subject) ?? true,
                    let changed = rewrite.apply(to: current)
                else { continue }
                text = changed
                subject.payload = ByteBuffer(string: changed)
                subject.length = UInt64(changed.utf8.count)
                if readsLenses { subject.readLenses() }
                applied.append(index)
            case .delay(let rule):
                guard rule.filter?.matches(subject) ?? true else { continue }
                delay += rule.milliseconds
                delayedBy.append(index)
            }
        }
        count(applied + delayedBy)
        let by = (applied + delayedBy).map(name).joined(separator: ", ")
        guard !applied.isEmpty, let text else {
            return (StageDecision(verdict: .pass, by: by), delay)
        }
        return (StageDecision(verdict: .replace(ByteBuffer(string: text), isText: true), by: by), delay)
    }

    private func name(_ index: Int) -> String {
        "\(rules[index].flag) #\(index + 1) \(rules[index].text)"
    }

    private func count(_ indexes: [Int]) {
        hits.withLockedValue { counts in
            for index in indexes { counts[index] += 1 }
        }
    }
}
