import NIOConcurrencyHelpers
import NIOCore
public import WSTapCore

/// The stage of `--rewrite`: find-and-replace rules applied in order to the text of every text message, each
/// way. A message that no rule matches passes with its bytes unchanged; binary messages and text that is not
/// valid UTF-8 pass too.
public final class RewriteStage: TrafficStage {
    /// The rules, in the order they apply.
    public let rules: [RewriteRule]
    private let hits: NIOLockedValueBox<[Int]>

    /// A stage of these rules.
    public init(rules: [RewriteRule]) {
        self.rules = rules
        hits = NIOLockedValueBox(Array(repeating: 0, count: rules.count))
    }

    /// How many messages each rule changed so far, in the rules' order.
    public var hitCounts: [Int] { hits.withLockedValue { $0 } }

    /// Every direction of every connection.
    public func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
        !rules.isEmpty
    }

    /// The message with every rule applied, or `pass` when none matched.
    public func decide(_ message: TrafficEvent.MessageSeen) -> StageDecision {
        guard message.isText, var text = String(validating: message.payload.readableBytesView, as: UTF8.self) else {
            return .pass
        }
        var applied: [Int] = []
        for (index, rule) in rules.enumerated() {
            guard let changed = rule.apply(to: text) else { continue }
            text = changed
            applied.append(index)
        }
        guard !applied.isEmpty else { return .pass }
        hits.withLockedValue { counts in
            for index in applied { counts[index] += 1 }
        }
        let names = applied.map { "rewrite #\($0 + 1) \(rules[$0].text)" }.joined(separator: ", ")
        return StageDecision(verdict: .replace(ByteBuffer(string: text), isText: true), by: names)
    }
}
