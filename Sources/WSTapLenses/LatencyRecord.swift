/// The latencies of one method's answers, in bounded memory however long the session: every value while
/// there are at most ``exactLimit`` (percentiles exact), then a histogram of 128 buckets per power of two
/// (percentiles within 1/128 of the value, never above the maximum). The count and the maximum are always exact.
public struct LatencyRecord: Sendable, Equatable {
    /// How many values are kept as they are before they are counted in buckets.
    public static let exactLimit = 1024

    /// How many values were added.
    public private(set) var count = 0
    /// The largest value added, or nil before any.
    public private(set) var max: UInt64?
    /// Every value added, while ``count`` is at most ``exactLimit``; then empty.
    private var values: [UInt64] = []
    /// How many values fell in each bucket (``bucket(of:)``), once past ``exactLimit``.
    private var buckets: [Int: Int] = [:]

    /// Buckets per power of two (as bits): values below 2^7 have a bucket each.
    private static let subBucketBits = 7
    private static let subBuckets = 1 << subBucketBits

    /// No values.
    public init() {}

    /// Whether no value was added.
    public var isEmpty: Bool { count == 0 }

    /// How many numbers it keeps (values, or buckets once past ``exactLimit``): at most ``exactLimit`` or the
    /// number of buckets in use (below 7,424), however many values were added.
    public var keptNumbers: Int { values.count + buckets.count }

    /// Adds one latency, in nanoseconds.
    public mutating func add(_ value: UInt64) {
        count += 1
        max = Swift.max(max ?? value, value)
        guard count > Self.exactLimit else {
            values.append(value)
            return
        }
        if !values.isEmpty {
            for kept in values { buckets[Self.bucket(of: kept), default: 0] += 1 }
            values = []
        }
        buckets[Self.bucket(of: value), default: 0] += 1
    }

    /// The value below which `fraction` of the values lie (nearest rank), or nil without values.
    public func percentile(_ fraction: Double) -> UInt64? {
        guard let max, count > 0 else { return nil }
        let rank = Swift.min(count, Swift.max(1, Int((fraction * Double(count)).rounded(.up))))
        if !values.isEmpty {
            return values.sorted()[rank - 1]
        }
        var seen = 0
        for bucket in buckets.keys.sorted() {
            seen += buckets[bucket] ?? 0
            if seen >= rank { return Swift.min(Self.highestValue(in: bucket), max) }
        }
        return max
    }

    /// The bucket of a value: the value itself below 128; above, its power of two and its next 7 bits.
    static func bucket(of value: UInt64) -> Int {
        guard value >= UInt64(subBuckets) else { return Int(value) }
        let shift = (63 - value.leadingZeroBitCount) - subBucketBits
        let mantissa = Int(value >> UInt64(shift))  // 128...255
        return (shift + 1) * subBuckets + (mantissa - subBuckets)
    }

    /// The largest value that falls in `bucket`.
    static func highestValue(in bucket: Int) -> UInt64 {
        guard bucket >= subBuckets else { return UInt64(bucket) }
        let shift = bucket / subBuckets - 1
        let mantissa = UInt64(bucket % subBuckets + subBuckets)
        let lowest = mantissa << UInt64(shift)
        return lowest + ((1 << UInt64(shift)) - 1)
    }
}
