import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite struct MaskingTests {
    /// The byte-at-a-time definition of masking (RFC 6455 5.3).
    func naive(_ bytes: [UInt8], key: MaskingKey, phase: Int) -> [UInt8] {
        bytes.enumerated().map { $0.element ^ key[phase + $0.offset] }
    }

    @Test(arguments: [0, 1, 2, 3])
    func matchesTheDefinitionAtEveryLengthAndPhase(phase: Int) {
        var generator = FuzzRandom(seed: UInt64(phase))
        let key = MaskingKey.random(using: &generator)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(Masking.applied(key: key, phase: phase, to: bytes) == naive(bytes, key: key, phase: phase))
        }
    }

    @Test func isItsOwnInverseAndChunkable() {
        let key = MaskingKey(0x37, 0xfa, 0x21, 0x3d)
        let bytes = Array(0..<255 as Range<UInt8>)
        let masked = Masking.applied(key: key, to: bytes)
        #expect(Masking.applied(key: key, to: masked) == bytes)
        for split in 0...bytes.count {
            let first = Masking.applied(key: key, phase: 0, to: Array(bytes[..<split]))
            let second = Masking.applied(key: key, phase: split % 4, to: Array(bytes[split...]))
            #expect(first + second == masked)
        }
    }

    @Test func rfcExampleKey() {
        // RFC 6455 5.7: "Hello" masked with 37 fa 21 3d.
        let key = MaskingKey(0x37, 0xfa, 0x21, 0x3d)
        #expect(Masking.applied(key: key, to: Array("Hello".utf8)) == hex("7f9f4d5158"))
        #expect(key.hex == "37fa213d")
        #expect(MaskingKey(hex: "37fa213d") == key)
        #expect(MaskingKey(hex: "37fa21") == nil)
    }
}
