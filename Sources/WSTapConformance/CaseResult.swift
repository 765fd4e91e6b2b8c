/// How one case went.
public struct CaseResult: Sendable {
    /// The case's id (`1.1.1`).
    public var id: String
    /// What the case does.
    public var name: String
    /// The verdict reported (informational for a case whose behaviour the RFC leaves open).
    public var verdict: Verdict
    /// The verdict the expectation alone gives (the same as `verdict` unless the case is informational).
    public var judgement: Verdict
    /// Why: what went differently from the expectation ("" when all went as expected).
    public var detail: String
    /// What the raw peer sent.
    public var sent: String
    /// What the case expected.
    public var expected: String
    /// What came back.
    public var received: String
    /// How long the case took.
    public var duration: Duration
    /// What the raw peer read, for checks beyond the verdict.
    public var observation: Observation

    /// A result built from its parts.
    public init(
        id: String, name: String, verdict: Verdict, judgement: Verdict, detail: String, sent: String, expected: String,
        received: String, duration: Duration, observation: Observation
    ) {
        self.id = id
        self.name = name
        self.verdict = verdict
        self.judgement = judgement
        self.detail = detail
        self.sent = sent
        self.expected = expected
        self.received = received
        self.duration = duration
        self.observation = observation
    }

    /// The duration in whole milliseconds.
    public var durationMilliseconds: Int { Self.milliseconds(duration) }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
