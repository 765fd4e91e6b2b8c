/// Where the UI's own frames take their masking keys: a small seeded generator (SplitMix64) kept in the
/// state, so that ``reduce(_:_:)`` stays pure. The glue seeds it from a random source; tests pick a seed
/// and get the same keys every time.
public struct MaskingKeySequence: RandomNumberGenerator, Hashable, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
