import NIOCore
import Testing
import WSTapCore
import WSTapInspect
import WSTapTestSupport

@Suite struct DecodeRunTests {
    /// Inputs covering every kind of line `decode` prints, with the options used.
    static let cases: [(String, DecodeRun.Options, String)] = [
        (
            "RFC 6455 5.7 examples", .init(),
            """
            81 05 48 65 6c 6c 6f  81 85 37 fa 21 3d 7f 9f 4d 51 58  01 03 48 65 6c  80 02 6c 6f
            89 05 48 65 6c 6c 6f  8a 85 37 fa 21 3d 7f 9f 4d 51 58
            """
        ),
        ("client rules", .init(role: .client), "81 05 48 65 6c 6c 6f  82 84 00 00 00 00 de ad be ef"),
        ("server rules", .init(role: .server), "81 85 37 fa 21 3d 7f 9f 4d 51 58"),
        (
            "violations", .init(),
            """
            83 00  c1 00  09 00  80 00  81 7e 00 05 68 65 6c 6c 6f  81 02 c3 28  88 01 03
            """
        ),
        ("close forms", .init(), "88 00  88 05 03 e8 62 79 65  88 02 03 ed  88 04 03 e8 c3 28  81 01 61"),
        (
            "binary and long text", .init(),
            """
            82 06 00 01 02 03 fe ff  81 46 \(String(repeating: "61 ", count: 70))
            """
        ),
        ("incomplete header", .init(), "81 05 48 65 6c 6c 6f 81 fe 00"),
        ("incomplete payload", .init(), "82 0a 01 02 03"),
        ("permessage-deflate bit allowed", .init(allowedReservedBits: .rsv1), "c1 03 f2 48 cd"),
        ("hybi-00 old", .init(variant: .hybi00, framing: .old), "00 48 69 ff  80 02 01 02  05 61 ff  ff 00  00 61"),
        (
            "hybi-00 new", .init(variant: .hybi00, framing: .new),
            "ff 00 00 00 00 00 00 00 02 48 69  00 00 00 00 00 00 00 00 00  00 00"
        ),
    ]

    @Test func linesMatchTheGoldenFile() throws {
        var out = ""
        var jsonLines = ""
        for (name, options, hex) in Self.cases {
            out += "== \(name)\n"
            DecodeRun.run(ByteBuffer(bytes: try HexText.parse(hex)), options: options) { out += $0 + "\n" }
            var json = options
            json.json = true
            DecodeRun.run(ByteBuffer(bytes: try HexText.parse(hex)), options: json) {
                out += $0 + "\n"
                jsonLines += $0 + "\n"
            }
        }
        GoldenFile.assertMatches(out, named: "decode-lines.txt")
        // decode --json prints frame and leftover events of docs/json-events.md.
        JSONEventSchema.expectValid(jsonLines, "decode --json")
    }

    @Test func summaryCounts() throws {
        let summary = DecodeRun.run(ByteBuffer(bytes: try HexText.parse("81 00 83 00 81")), options: .init()) { _ in }
        #expect(summary.frames == 2)
        #expect(summary.framesWithViolations == 1)
        #expect(summary.leftoverBytes)
    }

    @Test func hexInputErrorsAreClear() {
        #expect(throws: InputError.self) { try DecodeRun.input(from: [0xff, 0xfe], isHexText: true) }
        #expect(throws: InputError.self) { try DecodeRun.input(from: Array("81 0".utf8), isHexText: true) }
        #expect((try? DecodeRun.input(from: [0xff, 0xfe], isHexText: false))?.readableBytes == 2)
    }
}

/// A frame reads the same whether its whole payload was captured or only the start (live `--no-tui` with
/// its capture limit, and `view` of the recording): the bytes left out are counted against its length.
@Suite struct CutPayloadPreviewTests {
    static func line(capturing limit: Int) -> String {
        var bytes: [UInt8] = [0x81, 0x7E, 0x13, 0x88]  // text, 5000 bytes
        bytes += Array(repeating: UInt8(ascii: "a"), count: 5000)
        var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(payloadCaptureLimit: limit))
        decoder.append(bytes)
        guard let frame = decoder.nextFrame() else { return "" }
        return FrameDescription.line(frame, index: 1)
    }

    @Test func theCountOfWhatIsLeftOutIsTheSameCutOrNot() {
        let whole = Self.line(capturing: 1 << 20)
        let cut = Self.line(capturing: 1000)
        #expect(whole.contains("\"… (+4940 bytes)"), "\(whole)")
        #expect(cut.contains("\"… (+4940 bytes) (payload cut at 1000 bytes)"), "\(cut)")
    }

    /// A compressed frame whose inflated payload was kept only in part says so, in lines and in JSON.
    @Test func anInflatedPayloadCutAtTheDisplayLimitSaysSo() throws {
        var decoder = FrameDecoder()
        decoder.append([0xC1, 0x03, 0x01, 0x02, 0x03])
        let decoded = decoder.nextFrame()
        let frame = try #require(decoded)
        let seen = TrafficEvent.FrameSeen(
            connection: 1, direction: .serverToClient, content: .rfc6455(frame),
            at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0),
            inflatedPayload: ByteBuffer(string: String(repeating: "a", count: 100)),
            inflationCut: InflationCut(limit: 100, inflatedLength: 5000))
        let line = TrafficEventDescription.line(.frame(seen))
        #expect(line.contains("(+4940 bytes) (the first 100 bytes of each message kept)"), "\(line)")
        var events = TrafficEventJSON()
        let json = events.line(.frame(seen))
        #expect(json.contains("\"inflatedKeptLimit\":100,\"inflatedLength\":5000"), "\(json)")
    }

    /// A compressed frame's wire bytes are hex in lines, as its JSON has them as `payloadHex` with `text`
    /// null: `"J\u{4}\u{0}"` (the deflated "a") read as the message's text.
    @Test func aCompressedFramesWireBytesAreHexNotText() throws {
        var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(allowedReservedBits: .rsv1))
        decoder.append([0xC1, 0x03, 0x4A, 0x04, 0x00])
        let decoded = decoder.nextFrame()
        let frame = try #require(decoded)
        let seen = TrafficEvent.FrameSeen(
            connection: 1, direction: .serverToClient, content: .rfc6455(frame),
            at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0), inflatedPayload: ByteBuffer(string: "a"))
        let line = TrafficEventDescription.line(.frame(seen))
        #expect(line.hasSuffix("len=3 (7-bit) hex:4a0400 inflated=\"a\""), "\(line)")
    }

    @Test func aCutInTheMiddleOfACharacterStillReadsAsText() {
        var bytes: [UInt8] = [0x81, 0x7E, 0x03, 0xE8]  // text, 1000 bytes of "é"
        for _ in 0..<500 { bytes += [0xC3, 0xA9] }
        var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(payloadCaptureLimit: 101))
        decoder.append(bytes)
        let line = decoder.nextFrame().map { FrameDescription.line($0, index: 1) } ?? ""
        #expect(line.contains("\"éééé"), "\(line)")
        #expect(line.contains("(+900 bytes)"), "the 50 whole characters captured shown: \(line)")
    }
}
