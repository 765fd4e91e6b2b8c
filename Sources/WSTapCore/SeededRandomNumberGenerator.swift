/// A small, fast random number generator (SplitMix64) that starts from a given seed: the same seed, the same
/// sequence.
///
/// The UI's update function is pure, so the masking keys the composer draws come from one of these kept in the
/// state (the glue seeds it from the system's secure source, tests give a fixed seed, and the bytes the composer
/// shows are the bytes it sends); the fuzzer draws its cases from one (`FuzzRandom`), so that a run is the same
/// for the same `--seed-random`. Not for secrets.
public struct SeededRandomNumberGenerator: RandomNumberGenerator, Hashable, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
