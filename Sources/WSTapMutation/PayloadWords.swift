/// Payloads in a few words for finding summaries: short text quoted with control characters escaped, short
/// binary in hex, long payloads by their size and first bytes.
public enum PayloadWords {
    /// `"a\u{0}b"`, `c0 af`, `70000 bytes "[[[[[[[[..."`.
    public static func describe(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "(empty)" }
        let shown = bytes.count <= 40 ? bytes : Array(bytes.prefix(16))
        let words: String
        if let text = String(validating: shown, as: UTF8.self) {
            words = "\"" + text.unicodeScalars.map(escaped).joined() + "\""
        } else {
            words = shown.map(hex).joined(separator: " ")
        }
        return bytes.count <= 40 ? words : "\(bytes.count) bytes \(words)..."
    }

    static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x22: return "\\\""
        case 0x5C: return "\\\\"
        case 0x20..<0x7F: return String(scalar)
        case 0..<0x20, 0x7F: return "\\u{\(String(scalar.value, radix: 16))}"
        default: return String(scalar)
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
