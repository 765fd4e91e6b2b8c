import Foundation
import Testing
import WSTapMutation
import WSTapTestSupport

@testable import WSTapSession

/// The fast reader of recording lines against `JSONDecoder`: whatever line it reads, it reads exactly as
/// `JSONDecoder` does, and it does read the lines wstap writes.
@Suite struct FlatLineParserTests {
    private func slow(_ line: [UInt8]) -> RecordingLine? {
        try? JSONDecoder().decode(RecordingLine.self, from: Data(line))
    }

    private func fast(_ line: [UInt8]) -> RecordingLine? {
        line.withUnsafeBytes { FlatLineParser.parse($0) }
    }

    /// The property: a line the fast reader reads is one `JSONDecoder` reads to the same fields.
    private func expectAgreement(_ line: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let fast = fast(line) else { return }
        let slow = slow(line)
        #expect(slow == fast, "\(String(decoding: line, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    private static let strings: [String] = [
        "", "a", "frame", "c2s", "hello, world", "quote \" backslash \\ slash /", "tab\t newline\n return\r",
        "\u{0}\u{1}\u{1F}", "é ü 漢字 😀", String(repeating: "x", count: 300),
        "GET / HTTP/1.1\r\nHost: example\r\n\r\n",
    ]

    /// Random lines with every known key, written by the recorder's own JSON writer.
    private func writtenLines(count: Int, using generator: inout FuzzRandom) -> [[UInt8]] {
        let stringKeys: [StaticString] = [
            "type", "dir", "variant", "mask", "wire", "text", "data", "disp", "inflated", "inflatedData",
            "inflateError",
            "framing", "format", "wstap", "mode", "sideFile", "client", "target", "request", "requestData",
            "response", "responseData", "requestBody", "responseBody", "subprotocol", "extensions", "closedBy",
            "reason", "error", "message",
        ]
        let unsignedKeys: [StaticString] = ["conn", "mono", "len", "sideOffset", "hold", "declared"]
        let signedKeys: [StaticString] = [
            "rsv", "opcode", "lenBits", "offset", "wireLength", "pat", "plen", "typeByte", "version", "clientCode",
            "serverCode",
        ]
        let boolKeys: [StaticString] = ["fin", "compressed", "complete", "clean", "redecoded"]
        var lines: [[UInt8]] = []
        for _ in 0..<count {
            let builder = JSONLineBuilder(capacity: 64)
            builder.beginObject()
            for key in stringKeys where generator.next() % 3 == 0 {
                builder.field(key, Self.strings[Int(generator.next() % UInt64(Self.strings.count))])
            }
            for key in unsignedKeys where generator.next() % 3 == 0 {
                builder.field(key, generator.next() >> (generator.next() % 64))
            }
            for key in signedKeys where generator.next() % 3 == 0 {
                let magnitude = Int(truncatingIfNeeded: generator.next() >> (1 + generator.next() % 63))
                builder.field(key, generator.next() % 2 == 0 ? magnitude : -magnitude)
            }
            for key in boolKeys where generator.next() % 3 == 0 { builder.field(key, generator.next() % 2 == 0) }
            if generator.next() % 2 == 0 {
                // Times up to 2^53 microseconds (the year 2255), which the fast path reads itself.
                let micros = generator.next() % (1 << 53)
                builder.field("t", seconds: Double(micros) / 1_000_000)
            }
            if generator.next() % 4 == 0 {
                builder.key("violations")
                builder.append(UInt8(ascii: "["))
                for index in 0..<Int(generator.next() % 3) {
                    if index > 0 { builder.append(UInt8(ascii: ",")) }
                    builder.append("{\"kind\":")
                    builder.string(Self.strings[Int(generator.next() % UInt64(Self.strings.count))])
                    if generator.next() % 2 == 0 {
                        builder.append(",\"detail\":")
                        builder.string(Self.strings[Int(generator.next() % UInt64(Self.strings.count))])
                    }
                    builder.append(UInt8(ascii: "}"))
                }
                builder.append(UInt8(ascii: "]"))
            }
            builder.endLine()
            // Without the newline, as the reader hands a line over.
            lines.append(builder.withBytes { Array($0.dropLast()) })
        }
        return lines
    }

    @Test func linesAsWrittenAreReadFastAndAlike() {
        var generator = FuzzRandom(seed: 0x5EED_1)
        for line in writtenLines(count: 3000, using: &generator) {
            let fast = fast(line)
            #expect(fast != nil, "not read by the fast path: \(String(decoding: line, as: UTF8.self))")
            #expect(fast == slow(line), "\(String(decoding: line, as: UTF8.self))")
        }
    }

    @Test func unusualButValidLinesAgreeOrAreLeftToJSONDecoder() {
        let lines = [
            #"{}"#, #"{ "type": "frame" }"#, #"{"type":"note","text":"a\u00e9\ud83d\ude00\/b"}"#,
            #"{"type":"note","text":null,"conn":null}"#, #"{"t":1.5e3}"#, #"{"t":-1.25}"#, #"{"t":0.000001}"#,
            #"{"t":12345678901234567890.5}"#, #"{"conn":1.0}"#, #"{"opcode":-0}"#, #"{"unknown":{"a":1},"type":"x"}"#,
            #"{"unknown":[1,2],"type":"x"}"#, #"{"unknown":-1.5e-7,"type":"x"}"#, #"{"unknown":"s","type":"x"}"#,
            #"{"type":"x","type":"y"}"#, #"{"violations":[]}"#, #"{"violations":[{"kind":"k","detail":null}]}"#,
            #"{"violations":[{"detail":"d"}]}"#, #"{"type":"frame"}\#r"#, #"{"rsv":9223372036854775807}"#,
            #"{"rsv":-9223372036854775808}"#, #"{"rsv":9223372036854775808}"#, #"{"conn":18446744073709551615}"#,
            #"{"conn":18446744073709551616}"#,
        ]
        for line in lines { expectAgreement(Array(line.utf8)) }
        // Those the fast path should read.
        #expect(fast(Array(#"{"type":"note","text":"a\u00e9\ud83d\ude00\/b"}"#.utf8))?.text == "aé😀/b")
        #expect(fast(Array(#"{"rsv":-9223372036854775808}"#.utf8))?.rsv == Int.min)
        #expect(fast(Array(#"{"conn":18446744073709551615}"#.utf8))?.conn == .max)
    }

    @Test func invalidLinesAreNeverReadFast() {
        let lines: [[UInt8]] =
            [
                #"{"type":"frame""#, #"{"type":"frame",}"#, #"{"conn":01}"#, #"{"conn":-1}"#, #"{"fin":1}"#,
                #"{"type":"a\qb"}"#, #"{"type":"\ud800"}"#, #"{"type":"\udc00x"}"#, #"{"type":"a"}x"#,
                #"{"unknown":1.2.3}"#, #"{"unknown":-}"#, #"{"unknown":1e}"#, #"{"t":1.}"#, #"{"t":.5}"#,
                "{\"type\":\"a\u{1}\"}",
                #"{"violations":[{"kind":"k"},]}"#, #"["type"]"#, "",
            ].map { Array($0.utf8) } + [[0x7B, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]]
        for line in lines {
            #expect(fast(line) == nil, "\(String(decoding: line, as: UTF8.self))")
            #expect(slow(line) == nil || fast(line) == nil)
        }
    }

    @Test func damagedLinesAgreeOrAreLeftToJSONDecoder() {
        var generator = FuzzRandom(seed: 0xDA_4A9E)
        let alphabet = Array(#"{}[]",:\0123456789-+.eEtruefalsnul u"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF]
        for var line in writtenLines(count: 1500, using: &generator) where !line.isEmpty {
            for _ in 0...(generator.next() % 3) {
                let position = Int(generator.next() % UInt64(line.count))
                switch generator.next() % 3 {
                case 0: line[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: line.remove(at: position)
                default: line.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                }
                if line.isEmpty { break }
            }
            expectAgreement(line)
        }
    }
}
