import Testing
import WSTapCore

/// JSON string literals and hex digits written as bytes, against a plain reference written character by
/// character (what the JSON lines did before).
@Suite struct JSONStringBytesTests {
    /// The reference: RFC 8259 escapes, C0 controls as `\u00XX`, U+2028/U+2029 only when asked.
    static func reference(_ text: String, lineSeparators: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}" where lineSeparators: out += "\\u2028"
            case "\u{2029}" where lineSeparators: out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    @Test func escapesAsTheReferenceDoes() {
        var texts = (0..<0x80).map { String(Unicode.Scalar(UInt8($0))) }
        texts += ["", "plain", "a\"b\\c\nd", "\u{2028}x\u{2029}", "é€😀\u{1b}[0m", "end\u{7f}", "\u{e2}\u{80}"]
        var random = SystemRandomNumberGenerator()
        let pieces = ["a", "\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{2028}", "é", "😀", " ", "\t"]
        for _ in 0..<500 {
            texts.append((0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement()! }.joined())
        }
        for text in texts {
            for lineSeparators in [false, true] {
                var out: [UInt8] = [0x7B]
                JSONStringBytes.append(text, escapingLineSeparators: lineSeparators, to: &out)
                #expect(
                    String(decoding: out.dropFirst(), as: UTF8.self)
                        == Self.reference(text, lineSeparators: lineSeparators))
            }
        }
    }

    @Test func hexDigitsOfEveryByte() {
        let bytes = (0...255).map { UInt8($0) }
        let expected = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(LowercaseHex.string(bytes) == expected)
        #expect(LowercaseHex.string(bytes[3..<5]) == "0304")
        #expect(LowercaseHex.string(AnySequence(bytes.prefix(2))) == "0001", "a sequence without contiguous storage")
        var out: [UInt8] = [0x78]
        LowercaseHex.append([0xAB, 0x01], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "xab01")
        #expect(LowercaseHex.string([UInt8]()).isEmpty)
        #expect(MaskingKey(value: 0x37fa_213d).hex == "37fa213d" && MaskingKey(value: 1).hex == "00000001")
    }
}
