import NIOCore
import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite struct FrameEncoderTests {
    @Test func rfcExampleBytes() throws {
        let key = MaskingKey(0x37, 0xfa, 0x21, 0x3d)
        #expect(try FrameEncoder.encode(.text("Hello")) == hex("81 05 48 65 6c 6c 6f"))
        #expect(try FrameEncoder.encode(.text("Hello", mask: .key(key))) == hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))
        #expect(try FrameEncoder.encode(.text("Hel", fin: false)) == hex("01 03 48 65 6c"))
        #expect(
            try FrameEncoder.encode(FrameSpec(opcode: .ping, payload: Array("Hello".utf8)))
                == hex("89 05 48 65 6c 6c 6f"))
        #expect(try FrameEncoder.encode(.close(code: .normalClosure, reason: "bye")) == hex("88 05 03 e8 62 79 65"))
    }

    @Test func forcedEncodingsAndDeclaredLengths() throws {
        #expect(try FrameEncoder.encode(FrameSpec(lengthEncoding: .bits16, payload: [0x61])) == hex("81 7e 00 01 61"))
        #expect(
            try FrameEncoder.encode(FrameSpec(lengthEncoding: .bits64, payload: []))
                == hex("81 7f 00 00 00 00 00 00 00 00"))
        // Truncated frame: declares 10, carries 1.
        #expect(try FrameEncoder.encode(FrameSpec(declaredLength: 10, payload: [0x61])) == hex("81 0a 61"))
        // Top bit set in a 64-bit length.
        #expect(
            try FrameEncoder.encode(FrameSpec(opcode: .binary, declaredLength: 1 << 63))
                == hex("82 7f 80 00 00 00 00 00 00 00"))
        // Reserved opcode and RSV bits.
        #expect(
            try FrameEncoder.encode(
                FrameSpec(fin: false, reservedBits: [.rsv1, .rsv3], opcode: Opcode(lowBitsOf: 0xB))) == hex("5b 00"))
    }

    @Test func unrepresentableLengthsAreErrors() {
        #expect(throws: FrameEncodingError.self) {
            try FrameEncoder.encode(FrameSpec(lengthEncoding: .bits7, declaredLength: 126))
        }
        #expect(throws: FrameEncodingError.self) {
            try FrameEncoder.encode(FrameSpec(lengthEncoding: .bits16, declaredLength: 65536))
        }
        do {
            _ = try FrameEncoder.encode(FrameSpec(lengthEncoding: .bits7, declaredLength: 300))
        } catch {
            #expect(error.description == "a 7-bit length field cannot hold 300: its largest value is 125")
        }
    }

    @Test func randomMaskUsesTheGenerator() throws {
        var first = FuzzRandom(seed: 1)
        var second = FuzzRandom(seed: 1)
        var a = ByteBuffer()
        var b = ByteBuffer()
        let headerA = try FrameEncoder.encode(.text("x", mask: .random), into: &a, using: &first)
        let headerB = try FrameEncoder.encode(.text("x", mask: .random), into: &b, using: &second)
        #expect(headerA.maskingKey != nil)
        #expect(headerA == headerB)
        #expect(a == b)
    }

    /// decode(encode(spec)) gives the spec back, for generated specs, invalid ones included.
    @Test func roundTripsGeneratedSpecs() throws {
        var generator = FuzzRandom(seed: 99)
        for _ in 0..<2000 {
            let length = [0, 1, 5, 125, 126, 127, 300, 65535, 65536].randomElement(using: &generator) ?? 0
            let payload = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoding = [nil, PayloadLengthEncoding.bits7, .bits16, .bits64].randomElement(using: &generator) ?? nil
            let usable = encoding.map { $0.canHold(UInt64(length)) ? $0 : PayloadLengthEncoding.bits64 }
            let mask: FrameSpec.Mask =
                Bool.random(using: &generator)
                ? .none : .key(MaskingKey(value: UInt32.random(in: 0...UInt32.max, using: &generator)))
            let spec = FrameSpec(
                fin: Bool.random(using: &generator),
                reservedBits: ReservedBits(number: UInt8.random(in: 0...7, using: &generator)),
                opcode: Opcode(lowBitsOf: UInt8.random(in: 0...15, using: &generator)),
                mask: mask, lengthEncoding: usable, payload: payload)
            var buffer = ByteBuffer()
            let header = try FrameEncoder.encode(spec, into: &buffer, using: &generator)
            let bytes = Array(buffer.readableBytesView)
            let chunk = Int.random(in: 1...4096, using: &generator)
            let (frames, incomplete) = decodeAll(bytes, chunkSizes: [chunk])
            #expect(incomplete == nil)
            #expect(frames.count == 1)
            guard let frame = frames.first else { continue }
            #expect(frame.header == header)
            #expect(frame.header.fin == spec.fin)
            #expect(frame.header.reservedBits == spec.reservedBits)
            #expect(frame.header.opcode == spec.opcode)
            #expect(frame.payloadBytes == payload)
            #expect(frame.wireBytes.map { Array($0.readableBytesView) } == bytes)
        }
    }
}
