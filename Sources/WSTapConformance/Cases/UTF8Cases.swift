import WSTapCore

/// Autobahn 6.x: text messages must be valid UTF-8 (RFC 6455 8.1). Valid ones, whatever their characters and
/// however they are fragmented, are echoed; invalid ones fail the connection with 1007, and as soon as the first
/// bad byte arrives (fail-fast), not at the end of the frame or message (failing later is non-strict).
enum UTF8Cases {
    /// A byte sequence named by its Autobahn number and what it is.
    struct Sample: Sendable, CustomStringConvertible {
        var name: String
        var bytes: [UInt8]

        init(_ name: String, _ bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }

        init(_ name: String, _ text: String) {
            self.init(name, Array(text.utf8))
        }

        /// The id at the start of the name.
        var id: String { String(name.prefix { $0 != " " }) }
        /// The name without its id.
        var title: String { String(name.drop { $0 != " " }.dropFirst()) }
        var description: String { name }
    }

    static let kosme: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5]

    static let valid: [Sample] = [
        Sample("6.1.1 empty", ""),
        Sample("6.2.1 Latin-1 supplement", "Hello-µ@ßöäüàá-UTF-8!!"),
        Sample("6.5.1 κόσμε", kosme),
        Sample("6.5.5 a 4-byte character", "𝄞 and 😀"),
        Sample("6.7.1 U+0000", [0x00]),
        Sample("6.9.1 U+007F, last of 1 byte", [0x7F]),
        Sample("6.7.2 U+0080, first of 2 bytes", [0xC2, 0x80]),
        Sample("6.9.2 U+07FF, last of 2 bytes", [0xDF, 0xBF]),
        Sample("6.7.3 U+0800, first of 3 bytes", [0xE0, 0xA0, 0x80]),
        Sample("6.11.1 U+D7FF, before the surrogates", [0xED, 0x9F, 0xBF]),
        Sample("6.11.2 U+E000, after the surrogates", [0xEE, 0x80, 0x80]),
        Sample("6.11.3 U+FFFD", [0xEF, 0xBF, 0xBD]),
        Sample("6.9.3 U+FFFF, last of 3 bytes (a noncharacter)", [0xEF, 0xBF, 0xBF]),
        Sample("6.22.1 U+FFFE (a noncharacter)", [0xEF, 0xBF, 0xBE]),
        Sample("6.22.2 U+FDD0 (a noncharacter)", [0xEF, 0xB7, 0x90]),
        Sample("6.23.1 byte order mark", [0xEF, 0xBB, 0xBF]),
        Sample("6.7.4 U+10000, first of 4 bytes", [0xF0, 0x90, 0x80, 0x80]),
        Sample("6.22.3 U+1FFFF (a noncharacter)", [0xF0, 0x9F, 0xBF, 0xBF]),
        Sample("6.9.4 U+10FFFF, the last code point", [0xF4, 0x8F, 0xBF, 0xBF]),
        Sample(
            "6.12.0 every boundary in a row",
            [
                0x7F, 0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xEF, 0xBF, 0xBF, 0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F,
                0xBF, 0xBF,
            ]),
    ]

    static let invalid: [Sample] = [
        Sample("6.3.1 κόσμε then a surrogate", kosme + [0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64]),
        Sample("6.8.1 first 5-byte sequence", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        Sample("6.8.2 first 6-byte sequence", [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80]),
        Sample("6.10.1 U+110000, above the last code point", [0xF4, 0x90, 0x80, 0x80]),
        Sample("6.10.2 U+1FFFFF", [0xF7, 0xBF, 0xBF, 0xBF]),
        Sample("6.10.3 last 5-byte sequence", [0xFB, 0xBF, 0xBF, 0xBF, 0xBF]),
        Sample("6.12.1 a stray continuation byte 0x80", [0x80]),
        Sample("6.12.2 a stray continuation byte 0xBF", [0xBF]),
        Sample("6.12.3 stray continuation bytes after text", Array("ok".utf8) + [0x80, 0xBF, 0x80]),
        Sample("6.13.1 lonely 2-byte start then a space", [0xC2, 0x20]),
        Sample("6.13.2 lonely 3-byte start then a space", [0xE0, 0x20]),
        Sample("6.13.3 lonely 4-byte start then a space", [0xF0, 0x20]),
        Sample("6.14.1 U+0080 cut short", [0xC2]),
        Sample("6.14.2 U+0800 cut short", [0xE0, 0xA0]),
        Sample("6.14.3 U+10000 cut short", [0xF0, 0x90, 0x80]),
        Sample("6.14.4 U+FFFF cut short", [0xEF, 0xBF]),
        Sample("6.14.5 U+10FFFF cut short after text", Array("text".utf8) + [0xF4, 0x8F, 0xBF]),
        Sample(
            "6.15.1 incomplete sequences in a row",
            [
                0xC0, 0xE0, 0x80, 0xF0, 0x80, 0x80, 0xF8, 0x80, 0x80, 0x80, 0xFC, 0x80, 0x80, 0x80, 0x80, 0xDF, 0xEF,
                0xBF,
            ]),
        Sample("6.16.1 impossible byte 0xFE", [0xFE]),
        Sample("6.16.2 impossible byte 0xFF", [0xFF]),
        Sample("6.16.3 impossible bytes", [0xFE, 0xFE, 0xFF, 0xFF]),
        Sample("6.17.1 overlong '/' in 2 bytes", [0xC0, 0xAF]),
        Sample("6.17.2 overlong '/' in 3 bytes", [0xE0, 0x80, 0xAF]),
        Sample("6.17.3 overlong '/' in 4 bytes", [0xF0, 0x80, 0x80, 0xAF]),
        Sample("6.18.1 largest overlong of 2 bytes", [0xC1, 0xBF]),
        Sample("6.18.2 largest overlong of 3 bytes", [0xE0, 0x9F, 0xBF]),
        Sample("6.18.3 largest overlong of 4 bytes", [0xF0, 0x8F, 0xBF, 0xBF]),
        Sample("6.19.1 overlong NUL in 2 bytes", [0xC0, 0x80]),
        Sample("6.19.2 overlong NUL in 3 bytes", [0xE0, 0x80, 0x80]),
        Sample("6.20.1 surrogate U+D800", [0xED, 0xA0, 0x80]),
        Sample("6.20.4 surrogate U+DB7F", [0xED, 0xAD, 0xBF]),
        Sample("6.20.5 surrogate U+DC00", [0xED, 0xB0, 0x80]),
        Sample("6.20.7 surrogate U+DFFF", [0xED, 0xBF, 0xBF]),
        Sample("6.21.1 surrogate pair U+D800 U+DC00", [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80]),
        Sample("6.21.8 invalid byte in the middle of text", Array("Hello".utf8) + [0xFF] + Array("world".utf8)),
    ]

    /// Each sample in one frame.
    static let whole: [ConformanceCase] =
        valid.map { sample in
            ConformanceCase(sample.id, sample.title, [.text(sample.bytes)], .replies([.message(.text, sample.bytes)]))
        }
        + invalid.map { sample in
            ConformanceCase(sample.id, sample.title, [.text(sample.bytes)], .failure(.invalidPayloadData, after: []))
        }

    /// Valid text split into two fragments at every byte position, and into 1-byte fragments, is echoed whole
    /// each time (one connection per sample).
    static let validSplitAnywhere: [ConformanceCase] = valid.map { sample in
        let bytes = sample.bytes
        var frames: [FrameSpec] = (0...bytes.count).flatMap { split -> [FrameSpec] in
            [.text(Array(bytes[..<split]), fin: false), .continuation(Array(bytes[split...]))]
        }
        frames += bytes.indices.map { index in
            let piece = [bytes[index]]
            let fin = index == bytes.count - 1
            return index == 0 ? .text(piece, fin: fin) : .continuation(piece, fin: fin)
        }
        let count = bytes.count + 1 + (bytes.isEmpty ? 0 : 1)
        let replies = Array(repeating: Reply.message(.text, bytes), count: count)
        return ConformanceCase(
            "\(sample.id).split", "\(sample.title), split at every byte and in 1-byte fragments", frames,
            .replies(replies))
    }

    /// Invalid text split into two fragments at each byte position (one connection each) fails with 1007; when
    /// the first fragment alone already proves the text invalid, the failure must come before the second is
    /// sent.
    static let invalidSplitAnywhere: [ConformanceCase] = invalid.flatMap { sample in
        let bytes = sample.bytes
        return (0...bytes.count).map { split in
            let first = Array(bytes[..<split])
            let provenByFirst = ReferenceUTF8.firstInvalidIndex(first) != nil
            return ConformanceCase(
                "\(sample.id).split\(split)", "\(sample.title), split after byte \(split)",
                [.text(first, fin: false), .continuation(Array(bytes[split...]))],
                .failure(.invalidPayloadData, after: []), cut: provenByFirst ? .beforeFrame(1) : nil)
        }
    }

    static let kosmeBytes = Array("κόσμε".utf8)
    /// κόσμε, then U+110000's first two bytes (0xF4 0x90: no valid text continues that way), then more.
    static let badTail: [UInt8] = [0xF4, 0x90, 0x80, 0x80]

    /// Fail-fast within a frame and across fragments (Autobahn 6.4.x): the endpoint must fail as soon as the bad
    /// bytes are in, although the rest of the frame or message has not come.
    static let failFast: [ConformanceCase] = [
        ConformanceCase(
            "6.4.1", "a valid fragment, then one whose first bytes are invalid, failed before its end",
            [
                .text(kosmeBytes, fin: false), .continuation(badTail + Payloads.ascii(1000), fin: false),
                .continuation("end"),
            ], .failure(.invalidPayloadData, after: []), cut: .insideFrame(1, payloadBytes: 14)),
        ConformanceCase(
            "6.4.3", "a 64 KiB text frame invalid after κόσμε, failed before its end, in 100-byte writes",
            [.text(kosmeBytes + badTail + Payloads.ascii(65536))], .failure(.invalidPayloadData, after: []),
            chop: 100, cut: .insideFrame(0, payloadBytes: kosmeBytes.count + 2)),
        ConformanceCase(
            "6.4.4", "a 64 KiB text frame invalid after κόσμε, failed before its end, in 1-byte writes",
            [.text(kosmeBytes + badTail + Payloads.ascii(65536))], .failure(.invalidPayloadData, after: []),
            chop: 1, cut: .insideFrame(0, payloadBytes: kosmeBytes.count + 2)),
    ]
}
