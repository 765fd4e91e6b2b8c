/// An incremental UTF-8 validator (RFC 3629) that can be fed a message in pieces of any size.
///
/// It finds the first byte at which the input can no longer be valid UTF-8, even when a multi-byte
/// sequence is split between two pieces: overlong forms, UTF-16 surrogates (U+D800-U+DFFF) and code
/// points above U+10FFFF are all rejected at the earliest byte that proves them wrong. ASCII runs are
/// checked a machine word at a time.
public struct UTF8Validator: Hashable, Sendable {
    /// Continuation bytes still expected to complete the current sequence.
    @usableFromInline var pending: UInt8 = 0
    /// The allowed range of the next continuation byte (narrower than 0x80-0xBF after E0, ED, F0, F4).
    @usableFromInline var lower: UInt8 = 0x80
    @usableFromInline var upper: UInt8 = 0xBF
    /// How many bytes were accepted so far.
    public private(set) var validatedCount: Int = 0

    /// A validator at the start of the input.
    public init() {}

    /// True when the input so far ends on a character boundary (a message may end here).
    public var isAtCharacterBoundary: Bool { pending == 0 }

    /// Validates the next piece.
    /// - Returns: `nil` when the piece is valid so far, or the index within `bytes` of the first byte
    ///   that makes the input invalid. After an invalid byte the validator should not be fed again.
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = 0
        while index < count {
            if pending == 0 {
                // Fast path: skip ASCII 32 and then 8 bytes at a time.
                while index &+ 32 <= count {
                    let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let b = base.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self)
                    let c = base.loadUnaligned(fromByteOffset: index &+ 16, as: UInt64.self)
                    let d = base.loadUnaligned(fromByteOffset: index &+ 24, as: UInt64.self)
                    if (a | b | c | d) & 0x8080_8080_8080_8080 != 0 { break }
                    index &+= 32
                }
                while index &+ 8 <= count {
                    let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    if a & 0x8080_8080_8080_8080 != 0 { break }
                    index &+= 8
                }
                if index >= count { break }
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                switch byte {
                case 0x00...0x7F:
                    break
                case 0xC2...0xDF:
                    pending = 1; lower = 0x80; upper = 0xBF
                case 0xE0:
                    pending = 2; lower = 0xA0; upper = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF:
                    pending = 2; lower = 0x80; upper = 0xBF
                case 0xED:
                    pending = 2; lower = 0x80; upper = 0x9F
                case 0xF0:
                    pending = 3; lower = 0x90; upper = 0xBF
                case 0xF1...0xF3:
                    pending = 3; lower = 0x80; upper = 0xBF
                case 0xF4:
                    pending = 3; lower = 0x80; upper = 0x8F
                default:
                    // 0x80-0xC1 (stray continuation or overlong lead) and 0xF5-0xFF never start a character.
                    validatedCount &+= index
                    return index
                }
            } else {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                guard byte >= lower, byte <= upper else {
                    validatedCount &+= index
                    return index
                }
                pending &-= 1
                lower = 0x80
                upper = 0xBF
            }
            index &+= 1
        }
        validatedCount &+= count
        return nil
    }

    /// Validates the next piece given as an array or other contiguous collection.
    public mutating func validate(_ bytes: some Collection<UInt8>) -> Int? {
        if let result = bytes.withContiguousStorageIfAvailable({ validate(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { validate($0) }
    }

    /// Whether `bytes` is, as a whole, valid UTF-8.
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) == nil && validator.isAtCharacterBoundary
    }
}
