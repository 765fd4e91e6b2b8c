/// JSON string literals (RFC 8259) written as UTF-8 bytes: `"` and `\` get a backslash, newline, carriage
/// return and tab are `\n`, `\r` and `\t`, the other C0 controls `\u001b`; everything else is copied as it
/// is, in runs (no per-character appends). For the JSON lines printed per frame and message.
public enum JSONStringBytes {
    /// Appends `text` as a JSON string literal; with `escapingLineSeparators`, U+2028 and U+2029 are written
    /// `\u2028` and `\u2029` too (JavaScript reads them as line ends).
    public static func append(_ text: String, escapingLineSeparators: Bool = false, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 {
            append(utf8: UnsafeRawBufferPointer($0), escapingLineSeparators: escapingLineSeparators, to: &out)
        }
    }

    /// Appends the UTF-8 bytes `utf8` (valid UTF-8) as a JSON string literal.
    public static func append(
        utf8: UnsafeRawBufferPointer, escapingLineSeparators: Bool = false, to out: inout [UInt8]
    ) {
        out.reserveCapacity(out.count + utf8.count + 2)
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            let escape: StaticString?
            var width = 1
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case UInt8(ascii: "\t"): escape = "\\t"
            case 0..<0x20: escape = ""
            case 0xE2
            where escapingLineSeparators && index + 2 < count && utf8[index + 1] == 0x80
                && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                escape = utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                width = 3
            default: escape = nil
            }
            guard let escape else {
                index += 1
                continue
            }
            if runStart < index { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<index])) }
            if escape.utf8CodeUnitCount > 0 {
                out.append(contentsOf: UnsafeRawBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
            } else {
                let digits: StaticString = "0123456789abcdef"
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    digits.utf8Start[Int(byte >> 4)], digits.utf8Start[Int(byte & 0x0F)],
                ])
            }
            index += width
            runStart = index
        }
        if runStart < count { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<count])) }
        out.append(UInt8(ascii: "\""))
    }
}
