import NIOCore
import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite struct Hybi00FrameTests {
    func decode(_ bytes: [UInt8], framing: Hybi00Framing, chunk: Int = Int.max) -> [Hybi00Frame] {
        var decoder = Hybi00FrameDecoder(framing: framing)
        var frames: [Hybi00Frame] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            decoder.append(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
            while let frame = decoder.nextFrame() { frames.append(frame) }
        }
        if let last = decoder.finish() { frames.append(last) }
        return frames
    }

    @Test func oldFramingTextAndClose() {
        for chunk in [1, 2, 100] {
            let frames = decode(hex("00 48 69 ff 00 ff ff 00"), framing: .old, chunk: chunk)
            #expect(frames.map(\.kindName) == ["text", "text", "close"])
            #expect(frames.map { Array($0.payload.readableBytesView) } == [Array("Hi".utf8), [], []])
            #expect(frames.allSatisfy { $0.violations.isEmpty })
            #expect(frames.map(\.wireLength) == [4, 2, 2])
        }
    }

    @Test func newFramingTextAndClose() {
        let bytes = hex("ff 00 00 00 00 00 00 00 02 48 69") + hex("00 00 00 00 00 00 00 00 00")
        for chunk in [1, 3, 100] {
            let frames = decode(bytes, framing: .new, chunk: chunk)
            #expect(frames.map(\.kindName) == ["text", "close"])
            #expect(frames.first.map { Array($0.payload.readableBytesView) } == Array("Hi".utf8))
            #expect(frames.allSatisfy { $0.violations.isEmpty })
        }
    }

    @Test func oldFramingLengthPrefixedFramesAreDecodedAndFlagged() {
        // Type 0x80, length 0x81 0x00 = 128 in 7-bit groups, then 128 bytes, then a text frame.
        let bytes = hex("80 81 00") + [UInt8](repeating: 0x41, count: 128) + hex("00 6f 6b ff")
        let frames = decode(bytes, framing: .old, chunk: 5)
        #expect(frames.count == 2)
        #expect(frames[0].declaredLength == 128)
        #expect(frames[0].payload.readableBytes == 128)
        #expect(frames[0].violations.map(\.kind) == [.hybi00BinaryFrame])
        #expect(frames[1].isText)
    }

    @Test func violations() {
        #expect(decode(hex("00 c3 28 ff"), framing: .old).first?.violations.map(\.kind) == [.invalidUTF8])
        #expect(decode(hex("05 61 ff"), framing: .old).first?.violations.map(\.kind) == [.hybi00UnknownFrameType])
        #expect(
            decode(hex("7f 00 00 00 00 00 00 00 00"), framing: .new).first?.violations.map(\.kind) == [
                .hybi00UnknownFrameType
            ])
        #expect(
            decode(hex("00 00 00 00 00 00 00 00 01 61"), framing: .new).first?.violations.map(\.kind) == [
                .hybi00CloseWithPayload
            ])
        #expect(decode(hex("ff 00 00 61 ff"), framing: .old).last?.violations.map(\.kind) == [.frameAfterClose])
        #expect(decode(hex("00 61 62"), framing: .old).last?.violations.map(\.kind) == [.incompleteFrame])
    }

    @Test func framingSwitchesAtFrameBoundaries() {
        var decoder = Hybi00FrameDecoder(framing: .old)
        decoder.append(ByteBuffer(bytes: hex("00 61")))
        #expect(decoder.nextFrame() == nil)
        decoder.framing = .new  // the frame in progress finishes in old framing
        decoder.append(ByteBuffer(bytes: hex("ff") + hex("ff 00 00 00 00 00 00 00 01 62")))
        let first = decoder.nextFrame()
        let second = decoder.nextFrame()
        #expect(first?.framing == .old)
        #expect(first.map { Array($0.payload.readableBytesView) } == [0x61])
        #expect(second?.framing == .new)
        #expect(second.map { Array($0.payload.readableBytesView) } == [0x62])
    }

    @Test func encoderRoundTrips() {
        for framing in Hybi00Framing.allCases {
            var buffer = ByteBuffer()
            Hybi00FrameEncoder.writeText(Array("héllo".utf8), framing: framing, into: &buffer)
            Hybi00FrameEncoder.writeClose(framing: framing, into: &buffer)
            let frames = decode(Array(buffer.readableBytesView), framing: framing)
            #expect(frames.map(\.kindName) == ["text", "close"])
            #expect(frames.first.map { String(buffer: $0.payload) } == "héllo")
        }
        #expect(
            Hybi00FrameEncoder.encode(
                Hybi00FrameSpec(framing: .old, typeByte: 0x80, payload: [UInt8](repeating: 0, count: 200))
            ).prefix(3) == [0x80, 0x81, 0x48])
        #expect(Hybi00FrameEncoder.encode(Hybi00FrameSpec(framing: .old, isClose: true)) == [0xFF, 0x00])
        #expect(
            Hybi00FrameEncoder.encode(Hybi00FrameSpec(framing: .new, isClose: true)) == [0x00, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func randomBytesNeverTrap() {
        var generator = FuzzRandom(seed: 5)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...100, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            for framing in Hybi00Framing.allCases {
                let frames = decode(bytes, framing: framing, chunk: Int.random(in: 1...10, using: &generator))
                #expect(frames.reduce(0) { $0 + $1.wireLength } == bytes.count)
            }
        }
    }
}

/// Inputs the fuzzer found (Fuzz/regressions/), kept as tests.
@Suite struct Hybi00FuzzRegressionTests {
    /// F1: a new-framing head cut short at the end of the stream kept its bytes beyond the capture limit.
    @Test func shortHeadLeftoverRespectsTheCaptureLimit() {
        var decoder = Hybi00FrameDecoder(framing: .new, payloadCaptureLimit: 2)
        decoder.append(ByteBuffer(bytes: hex("ff 00 00 00 00")))
        #expect(decoder.nextFrame() == nil)
        let leftover = decoder.finish()
        #expect(leftover?.isComplete == false)
        #expect(leftover?.payload.readableBytes == 2)
        #expect(leftover?.wireLength == 5)
    }
}
