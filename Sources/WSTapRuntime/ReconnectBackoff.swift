/// How long `wstap connect --reconnect` waits before each attempt to connect again: exponential backoff
/// with jitter. The base delay doubles with every failed attempt in a row, from ``initial`` up to
/// ``maximum``; the wait is a random point in the upper half of it (`base/2 ... base`), so that many clients
/// dropped at once do not come back at the same instant, and never shorter than half the base.
public struct ReconnectBackoff: Sendable, Hashable {
    /// The base delay of the first attempt.
    public var initial: Duration
    /// The largest base delay.
    public var maximum: Duration

    /// Backoff from `initial` (1 s by default) doubling up to `maximum`.
    public init(initial: Duration = .seconds(1), maximum: Duration) {
        self.initial = initial
        self.maximum = max(maximum, .zero)
    }

    /// The base delay of attempt `attempt` (1 for the first attempt after a connection ended).
    public func base(attempt: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(attempt, 1) where delay < maximum {
            delay *= 2
        }
        return min(delay, maximum)
    }

    /// The wait before attempt `attempt`: a random point between half the base and the base.
    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let base = base(attempt: attempt)
        let fraction = Double.random(in: 0.5...1, using: &random)
        return base * fraction
    }
}
