public import WSTapCore

/// Where the UI's own frames take their masking keys: a small seeded generator (SplitMix64) kept in the
/// state, so that ``reduce(_:_:)`` stays pure. The glue seeds it from a random source; tests pick a seed
/// and get the same keys every time. The same generator as the composer's ``SeededRandomNumberGenerator``.
public typealias MaskingKeySequence = SeededRandomNumberGenerator
