import NIOConcurrencyHelpers
import NIOCore
public import WSTapCore
public import WSTapFilter

/// The stage of the proxy's rule flags (`--rewrite`, `--drop`): rules applied in order to every whole message,
/// each way. A drop rule whose filter matches drops the message; rewrite rules replace what their expression
/// matches in the text of text messages (only where their filter, if they have one, matches). A message that
/// no rule changes passes with its bytes unchanged; binary messages and text that is not valid UTF-8 are never
/// rewritten (a drop rule may still drop them).
public final class RuleStage: TrafficStage {
    /// One rule.
    public enum Rule: Sendable, CustomStringConvertible {
        /// `--rewrite [/FILTER]/FIND/REPLACE/`
        case rewrite(RewriteRule)
        /// `--drop FILTER`
        case drop(FilterExpression, text: String)

        /// The rule as written, with its flag.
        public var description: String {
            switch self {
            case .rewrite(let rule): return "rewrite \(rule.text)"
            case .drop(_, let text): return "drop \(text)"
            }
        }
    }

    /// The rules, in the order they apply.
    public let rules: [Rule]
    private let hits: NIOLockedValueBox<[Int]>

    /// A stage of these rules.
    public init(rules: [Rule]) {
        self.rules = rules
        hits = NIOLockedValueBox(Array(repeating: 0, count: rules.count))
    }

    /// How many messages each rule changed or dropped so far, in the rules' order.
    public var hitCounts: [Int] { hits.withLockedValue { $0 } }

    /// Every direction of every connection (a rule's filter says which messages it takes).
    public func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
        !rules.isEmpty
    }

    /// The message with every rule applied, or `pass` when none changed it.
    public func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
        var subject = FilterSubject(message: message, opened: opened)
        var text = message.isText ? String(validating: message.payload.readableBytesView, as: UTF8.self) : nil
        var applied: [Int] = []
        for (index, rule) in rules.enumerated() {
            switch rule {
            case .drop(let filter, _):
                guard filter.matches(subject) else { continue }
                count([index])
                return StageDecision(verdict: .drop, by: name(index))
            case .rewrite(let rewrite):
                guard let current = text, rewrite.filter?.matches(subject) ?? true,
                    let changed = rewrite.apply(to: current)
                else { continue }
                text = changed
                subject.payload = ByteBuffer(string: changed)
                subject.length = UInt64(changed.utf8.count)
                applied.append(index)
            }
        }
        guard !applied.isEmpty, let text else { return .pass }
        count(applied)
        return StageDecision(
            verdict: .replace(ByteBuffer(string: text), isText: true),
            by: applied.map(name).joined(separator: ", "))
    }

    private func name(_ index: Int) -> String {
        switch rules[index] {
        case .rewrite(let rule): return "rewrite #\(index + 1) \(rule.text)"
        case .drop(_, let text): return "drop #\(index + 1) \(text)"
        }
    }

    private func count(_ indexes: [Int]) {
        hits.withLockedValue { counts in
            for index in indexes { counts[index] += 1 }
        }
    }
}
