/// The verdicts of the Autobahn test suite, worst last.
public enum Verdict: String, Sendable, CaseIterable, Comparable, Codable {
    /// The endpoint did what the RFC asks, the strict way.
    case ok = "OK"
    /// The endpoint did what the RFC allows but not the strict way (failed later than it could, ended TCP
    /// without a close frame, echoed fewer messages before a violation).
    case nonStrict = "NON-STRICT"
    /// The RFC leaves the behaviour open; the detail says what the endpoint did.
    case informational = "INFORMATIONAL"
    /// The endpoint does not implement what the case tests (an extension it did not agree to).
    case unimplemented = "UNIMPLEMENTED"
    /// The endpoint broke the RFC.
    case failed = "FAILED"

    private var rank: Int {
        switch self {
        case .ok: return 0
        case .informational: return 1
        case .unimplemented: return 2
        case .nonStrict: return 3
        case .failed: return 4
        }
    }

    /// Whether `left` is better than `right`.
    public static func < (left: Verdict, right: Verdict) -> Bool { left.rank < right.rank }
}
