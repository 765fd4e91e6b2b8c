public import NIOCore
import WSTapCore

/// A short, one-line rendering of a payload: quoted text when it is valid UTF-8, hexadecimal otherwise.
public enum PayloadPreview {
    /// Quoted, escaped text for UTF-8 payloads; hex for the rest. Long payloads are cut with a note of
    /// how many bytes were left out.
    public static func make(_ payload: ByteBuffer, preferText: Bool, maxCharacters: Int = 60, maxHexBytes: Int = 32)
        -> String
    {
        let view = payload.readableBytesView
        if preferText, UTF8Validator.isValid(view) {
            return quoted(String(buffer: payload), maxCharacters: maxCharacters)
        }
        if payload.readableBytes == 0 { return "\"\"" }
        let shown = view.prefix(maxHexBytes)
        let rest = view.count - shown.count
        return "hex:" + HexText.format(shown) + (rest > 0 ? "… (+\(rest) bytes)" : "")
    }

    /// Text in double quotes with control characters, quotes and backslashes escaped, cut at
    /// `maxCharacters` characters.
    public static func quoted(_ text: String, maxCharacters: Int = Int.max) -> String {
        var out = "\""
        var count = 0
        var cut = 0
        for scalar in text.unicodeScalars {
            if count >= maxCharacters {
                cut += 1
                continue
            }
            count += 1
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        if cut > 0 { out += "… (+\(cut) characters)" }
        return out
    }
}
