/// Durations as `wstap connect` prints them.
public enum DurationText {
    /// A duration in milliseconds with three decimals (`0.123`).
    public static func milliseconds(_ time: Duration) -> String {
        let micro = time.microseconds
        let fraction = String(micro % 1000)
        return "\(micro / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// A duration in seconds with one decimal (`1.3`), rounded down.
    public static func seconds(_ time: Duration) -> String {
        let tenths = time.microseconds / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension Duration {
    /// The whole number of microseconds.
    public var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
