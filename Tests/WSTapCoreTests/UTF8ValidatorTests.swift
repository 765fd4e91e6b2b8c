import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite struct UTF8ValidatorTests {
    static let valid: [[UInt8]] = [
        [], Array("hello".utf8), Array("κόσμε".utf8), Array("€𝄞中文".utf8),
        [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
        [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        Array(String(repeating: "a", count: 100).utf8) + [0xE2, 0x82, 0xAC]
            + Array(String(repeating: "b", count: 70).utf8),
    ]

    /// Invalid inputs with the index of the first byte that proves them invalid.
    static let invalid: [([UInt8], Int)] = [
        ([0x80], 0),  // stray continuation
        ([0xC0, 0x80], 0),  // overlong lead
        ([0xC1, 0xBF], 0),
        ([0xE0, 0x80, 0x80], 1),  // overlong 3-byte
        ([0xE0, 0x9F, 0xBF], 1),
        ([0xF0, 0x80, 0x80, 0x80], 1),  // overlong 4-byte
        ([0xF0, 0x8F, 0xBF, 0xBF], 1),
        ([0xED, 0xA0, 0x80], 1),  // surrogate U+D800
        ([0xED, 0xBF, 0xBF], 1),  // surrogate U+DFFF
        ([0xF4, 0x90, 0x80, 0x80], 1),  // above U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], 0),
        ([0xFF], 0),
        ([0x61, 0x62, 0xC3, 0x28], 3),
        (
            Array(String(repeating: "x", count: 40).utf8) + [
                0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80,
            ], 52
        ),
    ]

    @Test(arguments: valid)
    func acceptsValidAtEverySplit(bytes: [UInt8]) {
        #expect(UTF8Validator.isValid(bytes))
        for split in 0...bytes.count {
            var validator = UTF8Validator()
            #expect(validator.validate(Array(bytes[..<split])) == nil)
            #expect(validator.validate(Array(bytes[split...])) == nil)
            #expect(validator.isAtCharacterBoundary)
        }
    }

    @Test(arguments: invalid)
    func findsTheFirstBadByteAtEverySplit(bytes: [UInt8], badIndex: Int) {
        #expect(!UTF8Validator.isValid(bytes))
        for split in 0...bytes.count {
            var validator = UTF8Validator()
            if let bad = validator.validate(Array(bytes[..<split])) {
                #expect(bad == badIndex)
                #expect(validator.validatedCount == badIndex)
                continue
            }
            let bad = validator.validate(Array(bytes[split...]))
            #expect(bad.map { $0 + split } == badIndex)
            #expect(validator.validatedCount == badIndex)
        }
    }

    @Test func truncatedSequenceIsNotAtABoundary() {
        var validator = UTF8Validator()
        #expect(validator.validate([0x61, 0xE2, 0x82]) == nil)
        #expect(!validator.isAtCharacterBoundary)
        #expect(validator.validate([0xAC]) == nil)
        #expect(validator.isAtCharacterBoundary)
    }

    @Test func agreesWithTheStandardLibraryOnRandomBytes() {
        var generator = FuzzRandom(seed: 7)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...24, using: &generator)
            // Bias toward bytes that form or almost form multi-byte sequences.
            let pool: [UInt8] = [
                0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
            ]
            let bytes = (0..<length).map { _ in pool.randomElement(using: &generator) ?? 0 }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(UTF8Validator.isValid(bytes) == expected, "\(bytes)")
        }
    }
}
