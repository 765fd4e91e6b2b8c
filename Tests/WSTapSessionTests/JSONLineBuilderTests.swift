import Foundation
import Testing

@testable import WSTapSession

/// The recorder's JSON writer against Foundation's JSON parser: every kind of value, escapes and
/// lengths at the edges, in a builder that starts small so that it grows in the middle of values.
@Suite struct JSONLineBuilderTests {
    private func parse(_ builder: JSONLineBuilder) throws -> [[String: Any]] {
        let text = builder.withBytes { String(decoding: $0, as: UTF8.self) }
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func integersAtTheirEdges() throws {
        let unsigned: [UInt64] = [
            0, 1, 9, 10, 11, 99, 100, 12345, 999_999, 1_000_000, 1 << 32, 9_999_999_999_999_999_999, .max,
        ]
        let signed: [Int] = [0, -1, -9, -10, 42, Int.max, Int.min + 1, Int.min]
        let builder = JSONLineBuilder(capacity: 1)
        for value in unsigned {
            builder.beginObject()
            builder.field("u", value)
            builder.endLine()
        }
        for value in signed {
            builder.beginObject()
            builder.field("i", value)
            builder.endLine()
        }
        // Foundation parses numbers beyond Int64 as doubles: compare the text for those.
        let lines = builder.withBytes { String(decoding: $0, as: UTF8.self) }.split(separator: "\n")
        let expected = unsigned.map { "{\"u\":\($0)}" } + signed.map { "{\"i\":\($0)}" }
        #expect(lines.map(String.init) == expected)
    }

    @Test func stringsWithEveryKindOfEscape() throws {
        var samples: [String] = ["", "plain", "quote \" and backslash \\", "tab\tnew\nline\rreturn", "é ü 漢字 😀"]
        samples.append(String(decoding: (0..<32).map { UInt8($0) }, as: UTF8.self))
        samples.append(String(repeating: "\"", count: 300))
        samples.append(String(repeating: "ab\u{01}", count: 500))
        let builder = JSONLineBuilder(capacity: 8)
        for sample in samples {
            builder.beginObject()
            builder.field("s", sample)
            builder.field("n", 7)
            builder.endLine()
        }
        let objects = try parse(builder)
        #expect(objects.map { $0["s"] as? String } == samples)
        #expect(objects.allSatisfy { ($0["n"] as? Int) == 7 })
    }

    @Test func base64OfEveryTailLength() throws {
        var generator = SystemRandomNumberGenerator()
        let builder = JSONLineBuilder(capacity: 16)
        var payloads: [[UInt8]] = (0..<8).map { count in
            (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        payloads.append((0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        for payload in payloads {
            builder.beginObject()
            builder.key("data")
            payload.withUnsafeBytes { builder.base64String($0) }
            builder.endLine()
        }
        let objects = try parse(builder)
        #expect(objects.map { $0["data"] as? String } == payloads.map { Data($0).base64EncodedString() })
    }

    @Test func masksSecondsAndBooleans() throws {
        let keys: [UInt32] = [0, 1, 0x37FA_213D, 0xFFFF_FFFF, 0x0000_F00D]
        let seconds: [Double] = [0, 0.000_001, 1.5, 1_764_000_000.123_456, 59.999_999_4, -1, .infinity]
        let builder = JSONLineBuilder(capacity: 4)
        for key in keys {
            builder.beginObject()
            builder.field("mask", hex32: key)
            builder.field("yes", true)
            builder.field("no", false)
            builder.endLine()
        }
        for value in seconds {
            builder.beginObject()
            builder.field("t", seconds: value)
            builder.endLine()
        }
        let lines = builder.withBytes { String(decoding: $0, as: UTF8.self) }.split(separator: "\n").map(String.init)
        let maskLines = keys.map { key -> String in
            let digits = String(key, radix: 16)
            return
                "{\"mask\":\"\(String(repeating: "0", count: 8 - digits.count) + digits)\",\"yes\":true,\"no\":false}"
        }
        let secondLines = [
            "0.000000", "0.000001", "1.500000", "1764000000.123456", "59.999999", "0", "0",
        ].map { "{\"t\":\($0)}" }
        #expect(lines == maskLines + secondLines)
        builder.removeAll()
        #expect(builder.isEmpty)
    }
}
