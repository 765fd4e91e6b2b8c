/// When something happened: wall-clock time for people and a monotonic clock for intervals. Taken by
/// the I/O layer and passed in, so the core never reads a clock.
public struct TrafficTimestamp: Hashable, Sendable {
    /// Seconds since 1970-01-01 UTC.
    public var wallSeconds: Double
    /// Nanoseconds on a monotonic clock with an arbitrary origin.
    public var monotonicNanoseconds: UInt64

    /// A time read by the caller from both clocks.
    public init(wallSeconds: Double, monotonicNanoseconds: UInt64) {
        self.wallSeconds = wallSeconds
        self.monotonicNanoseconds = monotonicNanoseconds
    }
}
