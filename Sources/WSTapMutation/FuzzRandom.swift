import WSTapCore

/// A seeded random source (SplitMix64): the fuzzer's, so that a run is the same for the same `--seed-random`, and
/// the tests', so that randomized tests are reproducible.
public struct FuzzRandom: RandomNumberGenerator, Sendable {
    private var source: SeededRandomNumberGenerator

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        source = SeededRandomNumberGenerator(seed: seed)
    }

    /// The next 64 bits of the sequence.
    public mutating func next() -> UInt64 {
        source.next()
    }

    /// A number in `0..<bound` (0 when `bound` is 0 or less).
    public mutating func below(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int.random(in: 0..<bound, using: &self)
    }

    /// True with probability `numerator / denominator`.
    public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }

    /// One of `items` (which must not be empty).
    public mutating func pick<Item>(_ items: [Item]) -> Item {
        items[below(items.count)]
    }
}
