public import WSTapCore

/// Something a peer did wrong with a fuzz case: what `wstap fuzz` watches for.
public struct FuzzFinding: Hashable, Sendable {
    /// The kinds of misbehaviour, worst first.
    public enum Kind: String, CaseIterable, Comparable, Sendable {
        /// The target's process (started with `--exec`) exited.
        case crash
        /// The target stopped accepting connections.
        case targetDown = "target-down"
        /// TCP ended or was reset without a close frame.
        case resetWithoutClose = "reset-without-close"
        /// No answer to the probe, no close frame, no end of TCP within the time allowed.
        case noAnswer = "no-answer"
        /// A close frame with a code that may not be sent, or a body that breaks the rules.
        case forbiddenClose = "forbidden-close"
        /// A frame that breaks the RFC's rules.
        case invalidFrame = "invalid-frame"
        /// The probe answered, but slower than allowed.
        case slowAnswer = "slow-answer"

        /// Worse first: in the order of the cases.
        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }
    }

    /// What went wrong.
    public var kind: Kind
    /// What exactly, in words.
    public var detail: String
    /// What tells this finding apart from others of its kind (an exit status, a close code), for keeping one of
    /// each.
    public var key: String

    /// A finding of `kind`.
    public init(_ kind: Kind, _ detail: String, key: String = "") {
        self.kind = kind
        self.detail = detail
        self.key = key
    }

    /// Kind and key together: findings with the same signature are the same bug.
    public var signature: String { key.isEmpty ? kind.rawValue : "\(kind.rawValue) \(key)" }

    /// What an outcome shows, if anything (the worst finding); `slowAfter` is the longest a probe may take.
    public static func classify(_ outcome: FuzzOutcome, slowAfter: Duration?) -> FuzzFinding? {
        var findings: [FuzzFinding] = []
        switch outcome.ending {
        case .endOfStream where outcome.close == nil:
            findings.append(FuzzFinding(.resetWithoutClose, "the target ended TCP without a close frame"))
        case .reset(let error) where outcome.close == nil:
            findings.append(FuzzFinding(.resetWithoutClose, "the connection failed without a close frame: \(error)"))
        case .timedOut where outcome.endsOnFrameBoundary:
            findings.append(
                FuzzFinding(.noAnswer, "no answer to the probe ping, no close frame and no end of TCP in time"))
        case .probeAnswered:
            if let slowAfter, let latency = outcome.probeLatency, latency > slowAfter {
                findings.append(
                    FuzzFinding(
                        .slowAnswer,
                        "the probe ping was answered after \(FuzzOutcome.milliseconds(latency)) ms "
                            + "(more than \(FuzzOutcome.milliseconds(slowAfter)) ms)"))
            }
        default:
            break
        }
        if let close = outcome.close {
            if let code = close.code, !code.isAllowedOnWire, code.rawValue < 5000 {
                findings.append(
                    FuzzFinding(
                        .forbiddenClose, "a close frame with code \(code.rawValue), which may not be sent",
                        key: "\(code.rawValue)"))
            }
            if let violation = outcome.closeViolations.first {
                findings.append(
                    FuzzFinding(.forbiddenClose, "a close frame that breaks the rules: \(violation)", key: violation))
            }
        }
        if let problem = outcome.problems.first {
            findings.append(FuzzFinding(.invalidFrame, problem.text, key: problem.rule))
        }
        return findings.min { $0.kind < $1.kind }
    }
}
