import NIOCore
import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite struct FrameDecoderTests {
    /// RFC 6455 section 5.7's examples: wire bytes, opcode, FIN, key, payload.
    static let rfcExamples: [(String, Opcode, Bool, MaskingKey?, [UInt8])] = [
        ("81 05 48 65 6c 6c 6f", .text, true, nil, Array("Hello".utf8)),
        ("81 85 37 fa 21 3d 7f 9f 4d 51 58", .text, true, MaskingKey(0x37, 0xfa, 0x21, 0x3d), Array("Hello".utf8)),
        ("01 03 48 65 6c", .text, false, nil, Array("Hel".utf8)),
        ("80 02 6c 6f", .continuation, true, nil, Array("lo".utf8)),
        ("89 05 48 65 6c 6c 6f", .ping, true, nil, Array("Hello".utf8)),
        ("8a 85 37 fa 21 3d 7f 9f 4d 51 58", .pong, true, MaskingKey(0x37, 0xfa, 0x21, 0x3d), Array("Hello".utf8)),
    ]

    @Test func rfcSection57Examples() {
        for (wire, opcode, fin, key, payload) in Self.rfcExamples {
            let (frames, incomplete) = decodeAll(hex(wire))
            #expect(incomplete == nil)
            #expect(frames.count == 1)
            guard let frame = frames.first else { continue }
            #expect(frame.header.opcode == opcode)
            #expect(frame.header.fin == fin)
            #expect(frame.header.maskingKey == key)
            #expect(frame.payloadBytes == payload)
            #expect(frame.wireBytes.map { Array($0.readableBytesView) } == hex(wire))
        }
    }

    @Test func rfcLongLengthExamples() {
        let binary256 = hex("82 7E 01 00") + [UInt8](repeating: 0xAB, count: 256)
        let binary64K = hex("82 7F 00 00 00 00 00 01 00 00") + [UInt8](repeating: 0xCD, count: 65536)
        for (bytes, length, encoding) in [
            (binary256, 256, PayloadLengthEncoding.bits16), (binary64K, 65536, .bits64),
        ] {
            let (frames, _) = decodeAll(bytes, chunkSizes: [1000])
            #expect(frames.count == 1)
            #expect(frames.first?.header.payloadLength == UInt64(length))
            #expect(frames.first?.header.lengthEncoding == encoding)
            #expect(frames.first?.violations.isEmpty == true)
            #expect(frames.first?.wireBytes.map { Array($0.readableBytesView) } == bytes)
        }
    }

    /// A stream mixing valid and invalid frames decodes the same for every way of splitting it.
    @Test func everySplitGivesTheSameFrames() {
        let stream = Self.rfcExamples.flatMap { hex($0.0) } + hex("83 01 00") + hex("c1 00") + hex("88 02 03 e8")
        let whole = decodeAll(stream).frames
        #expect(whole.count == 9)
        for split in 0...stream.count {
            var decoder = FrameDecoder()
            var frames: [DecodedFrame] = []
            decoder.append(ByteBuffer(bytes: stream[..<split]))
            while let frame = decoder.nextFrame() { frames.append(frame) }
            decoder.append(ByteBuffer(bytes: stream[split...]))
            while let frame = decoder.nextFrame() { frames.append(frame) }
            #expect(frames.map(\.header) == whole.map(\.header))
            #expect(frames.map(\.payloadBytes) == whole.map(\.payloadBytes))
            #expect(frames.map(\.violations) == whole.map(\.violations))
            #expect(frames.map(\.streamOffset) == whole.map(\.streamOffset))
        }
        let byteByByte = decodeAll(stream, chunkSizes: [1]).frames
        #expect(byteByByte.map(\.header) == whole.map(\.header))
        #expect(byteByByte.map(\.violations) == whole.map(\.violations))
    }

    @Test(arguments: [
        ("83 00", Violation.Kind.reservedOpcode),
        ("8f 00", .reservedOpcode),
        ("c1 00", .reservedBitSet),
        ("a1 00", .reservedBitSet),
        ("91 00", .reservedBitSet),
        ("09 00", .fragmentedControlFrame),
        ("80 00", .continuationWithoutMessage),
        ("81 7e 00 05 68 65 6c 6c 6f", .nonMinimalLength),
        ("81 7f 00 00 00 00 00 00 00 05 68 65 6c 6c 6f", .nonMinimalLength),
        ("81 02 c3 28", .invalidUTF8),
        ("81 01 e2", .invalidUTF8),
        ("88 01 03", .closeBodyTooShort),
        ("88 02 03 ed", .closeCodeNotAllowed),
        ("88 04 03 e8 c3 28", .closeReasonInvalidUTF8),
    ])
    func detectsViolation(wire: String, kind: Violation.Kind) {
        let (frames, _) = decodeAll(hex(wire))
        #expect(frames.count == 1)
        #expect(frames.first?.violationKinds.contains(kind) == true, "\(frames.first?.violations ?? [])")
    }

    @Test func validFramesHaveNoViolations() {
        let frames = decodeAll(Self.rfcExamples.flatMap { hex($0.0) }).frames
        #expect(frames.count == Self.rfcExamples.count)
        #expect(frames.allSatisfy { $0.violations.isEmpty })
        #expect(decodeAll(hex("88 02 03 e8")).frames.first?.violations == [])
        #expect(decodeAll(hex("88 00")).frames.first?.violations == [])
    }

    @Test func controlFrameTooLong() {
        let frames = decodeAll(hex("89 7e 00 7e") + [UInt8](repeating: 0x61, count: 126)).frames
        #expect(frames.first?.violationKinds == [.controlFrameTooLong])
    }

    @Test func closeCodesOnTheWire() {
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] {
            let bytes = [0x88, 0x02, UInt8(code >> 8), UInt8(code & 0xFF)]
            #expect(decodeAll(bytes).frames.first?.violationKinds == [.closeCodeNotAllowed], "\(code)")
        }
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999] {
            let bytes = [0x88, 0x02, UInt8(code >> 8), UInt8(code & 0xFF)]
            #expect(decodeAll(bytes).frames.first?.violations == [], "\(code)")
        }
    }

    @Test func maskingRulesFollowTheSender() {
        let unmasked = hex("81 05 48 65 6c 6c 6f")
        let masked = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        #expect(
            decodeAll(unmasked, configuration: .init(sender: .client)).frames.first?.violationKinds == [
                .clientFrameUnmasked
            ])
        #expect(decodeAll(masked, configuration: .init(sender: .client)).frames.first?.violations == [])
        #expect(
            decodeAll(masked, configuration: .init(sender: .server)).frames.first?.violationKinds == [
                .serverFrameMasked
            ])
        #expect(decodeAll(unmasked, configuration: .init(sender: .server)).frames.first?.violations == [])
    }

    @Test func lengthWithTopBitSet() {
        var decoder = FrameDecoder()
        decoder.append(ByteBuffer(bytes: hex("82 7f 80 00 00 00 00 00 00 00 01 02")))
        #expect(decoder.nextFrame() == nil)
        #expect(decoder.currentFrameHeader?.payloadLength == 1 << 63)
        #expect(decoder.currentFrameViolations.map(\.kind) == [.lengthHighBitSet])
        let incomplete = decoder.finish()
        #expect(incomplete?.header?.payloadLength == 1 << 63)
        #expect(incomplete.map { Array($0.receivedPayload.readableBytesView) } == [1, 2])
        #expect(incomplete?.violations.last?.kind == .incompleteFrame)
    }

    @Test func fragmentationRules() {
        // text (no FIN), ping between fragments (allowed), binary while open, continuation.
        let stream = hex("01 01 61") + hex("89 00") + hex("82 01 62") + hex("80 01 63") + hex("80 01 64")
        let frames = decodeAll(stream).frames
        #expect(
            frames.map(\.violationKinds) == [
                [], [], [.dataFrameInsideMessage], [.continuationWithoutMessage], [.continuationWithoutMessage],
            ])
    }

    @Test func invalidUTF8AcrossFragmentsIsFoundAtTheFirstBadByte() {
        // "€" is e2 82 ac. Split after e2 82; the next fragment starts with a bad continuation.
        let good = hex("01 03 61 e2 82") + hex("80 02 ac 62")
        #expect(decodeAll(good).frames.allSatisfy { $0.violations.isEmpty })
        let bad = hex("01 03 61 e2 82") + hex("80 04 28 62 63 64")
        let frames = decodeAll(bad).frames
        #expect(frames[0].violations == [])
        #expect(frames[1].violations == [Violation(.invalidUTF8, "at byte 3 of the message")])
        // A message that stops in the middle of a character.
        let truncated = hex("01 03 61 e2 82") + hex("80 00")
        #expect(decodeAll(truncated).frames.last?.violationKinds == [.invalidUTF8])
    }

    @Test func invalidUTF8IsReportedBeforeTheFrameEnds() {
        var decoder = FrameDecoder()
        // A 1000-byte text frame whose second byte is invalid; only 10 bytes have arrived.
        decoder.append(ByteBuffer(bytes: hex("81 7e 03 e8 61 ff 61 61 61 61 61 61 61 61")))
        #expect(decoder.nextFrame() == nil)
        #expect(decoder.currentFrameViolations == [Violation(.invalidUTF8, "at byte 1 of the message")])
    }

    @Test func framesAfterCloseAreFlagged() {
        let frames = decodeAll(hex("88 02 03 e8") + hex("81 01 61") + hex("88 00")).frames
        #expect(frames.map(\.violationKinds) == [[], [.frameAfterClose], [.frameAfterClose]])
    }

    @Test func sizeLimits() {
        let config = FrameDecoderConfiguration(maxFrameSize: 4, maxMessageSize: 6)
        let frames = decodeAll(
            hex("01 05 61 62 63 64 65") + hex("00 02 61 62") + hex("80 01 61"), configuration: config
        ).frames
        #expect(frames.map(\.violationKinds) == [[.frameTooBig], [.messageTooBig], []])
    }

    @Test func captureLimitKeepsAPrefixButChecksEverything() {
        let key = MaskingKey(1, 2, 3, 4)
        var payload = [UInt8](repeating: 0x61, count: 10_000)
        payload[9_000] = 0xFF
        var buffer = ByteBuffer()
        FrameEncoder.write(
            header: FrameHeader(opcode: .text, maskingKey: key, payloadLength: 10_000), payload: payload, into: &buffer)
        let bytes = Array(buffer.readableBytesView)
        let config = FrameDecoderConfiguration(sender: .client, payloadCaptureLimit: 100)
        for chunk in [7, 1000, Int.max] {
            let frames = decodeAll(bytes, chunkSizes: [chunk], configuration: config).frames
            #expect(frames.count == 1)
            #expect(frames.first?.payload.readableBytes == 100)
            #expect(frames.first?.isPayloadComplete == false)
            #expect(frames.first?.violations == [Violation(.invalidUTF8, "at byte 9000 of the message")])
        }
    }

    @Test func rsvBitsAllowedByAnExtension() {
        let config = FrameDecoderConfiguration(allowedReservedBits: .rsv1)
        // Compressed text is not UTF-8 checked before inflating.
        #expect(decodeAll(hex("c1 02 ff ff"), configuration: config).frames.first?.violations == [])
        #expect(decodeAll(hex("e1 00"), configuration: config).frames.first?.violationKinds == [.reservedBitSet])
    }

    @Test func incompleteHeaderIsReported() {
        var decoder = FrameDecoder()
        decoder.append(ByteBuffer(bytes: hex("81 05 48 65 6c 6c 6f 81 fe 00")))
        #expect(decoder.nextFrame() != nil)
        #expect(decoder.nextFrame() == nil)
        let incomplete = decoder.finish()
        #expect(incomplete?.header == nil)
        #expect(incomplete.map { Array($0.unparsedBytes.readableBytesView) } == hex("81 fe 00"))
        #expect(incomplete?.streamOffset == 7)
        #expect(incomplete.map { Array($0.wireBytes.readableBytesView) } == hex("81 fe 00"))
    }

    @Test func incompleteFrameGivesBackItsWireBytes() {
        // A masked frame cut inside its payload: the header and the payload masked again, as they came.
        let wire = hex("81 85 01 02 03 04") + Masking.applied(key: MaskingKey(1, 2, 3, 4), to: Array("Hel".utf8))
        var decoder = FrameDecoder(configuration: .init(sender: .client))
        decoder.append(ByteBuffer(bytes: wire))
        #expect(decoder.nextFrame() == nil)
        let incomplete = decoder.finish()
        #expect(incomplete.map { Array($0.receivedPayload.readableBytesView) } == Array("Hel".utf8))
        #expect(incomplete.map { Array($0.wireBytes.readableBytesView) } == wire)
    }

    @Test func randomBytesNeverTrapAndAccountForEveryByte() {
        var generator = FuzzRandom(seed: 42)
        for _ in 0..<500 {
            let length = Int.random(in: 0...300, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let chunk = Int.random(in: 1...20, using: &generator)
            let (frames, incomplete) = decodeAll(bytes, chunkSizes: [chunk], configuration: .init(sender: .client))
            let consumed = frames.reduce(0) { $0 + Int($1.wireLength) }
            let pendingStart = incomplete?.streamOffset ?? length
            #expect(consumed == pendingStart)
            for frame in frames {
                let wire = frame.wireBytes.map { Array($0.readableBytesView) }
                let start = frame.streamOffset
                #expect(wire == Array(bytes[start..<(start + Int(frame.wireLength))]))
            }
        }
    }
}

@Suite struct FrameDecoderLimitTests {
    /// A negative capture limit keeps nothing rather than trapping.
    @Test func negativeCaptureLimitKeepsNothing() {
        let frames = decodeAll(hex("82 03 01 02 03"), configuration: .init(payloadCaptureLimit: -1)).frames
        #expect(frames.first?.payload.readableBytes == 0)
        #expect(frames.first?.header.payloadLength == 3)
    }
}

/// What a decoder keeps between frames once the caller took them. (Issue 21: the proxy's decoders kept the
/// last read buffer, often 64 KiB, and a payload buffer as large as the largest frame ever seen, on each
/// side of each of 10,000 connections.)
@Suite struct FrameDecoderRetentionTests {
    /// A masked 70,000-byte frame arriving in 64 KiB reads, then a small frame whose header is cut by the end of
    /// a read: afterwards the decoder holds a few bytes, not the reads' buffers nor the large payload's.
    @Test func keepsLittleAfterALargeFrame() throws {
        var wire = try FrameEncoder.encode(
            FrameSpec(opcode: .binary, mask: .random, payload: [UInt8](repeating: 7, count: 70_000)))
        wire += try FrameEncoder.encode(FrameSpec(opcode: .text, mask: .random, payload: Array("hello".utf8)))
        var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: .client))
        var frames = 0
        var reads: [ByteBuffer] = []
        // Reads as NIO makes them: a 64 KiB buffer each, the last one cut inside the small frame's header.
        let cut = wire.count - 8
        for range in [0..<(64 << 10), (64 << 10)..<cut, cut..<wire.count] {
            var read = ByteBuffer()
            read.reserveCapacity(64 << 10)
            read.writeBytes(wire[range])
            reads.append(read)
            decoder.append(read)
            while decoder.nextFrame() != nil { frames += 1 }
            // Inside the large frame its payload so far is held (that is the capture); between frames, little.
            guard decoder.currentFrameHeader == nil else { continue }
            #expect(
                decoder.heldCapacity <= FrameDecoder.reusedAccumulatorCapacity + FrameDecoder.keptInputCapacity,
                "after the read of \(range): \(decoder.heldCapacity) bytes held")
        }
        #expect(frames == 2)
        // No read buffer is still shared with the decoder: writing into one does not copy it.
        for index in reads.indices {
            let before = reads[index].withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
            reads[index].setInteger(UInt8(0), at: reads[index].readerIndex)
            let after = reads[index].withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
            #expect(before == after, "read \(index) is still held by the decoder")
        }
    }
}
