/// How text between double quotes escapes the characters that cannot stand there as they are: `"` and `\`
/// get a backslash, newline, carriage return and tab are written `\n`, `\r` and `\t`, and the other control
/// characters by their code point, in the form the case names.
package enum TextEscaping: Sendable {
    /// A JSON string (RFC 8259): C0 controls as `\u001b`.
    case json
    /// C0 controls as `\u{1b}`.
    case controls
    /// C0 controls, DEL and the C1 controls (U+0080-U+009F) as `\u{1b}`: all a terminal might act on.
    case terminalControls

    /// Appends `scalar` to `text`, escaped if it has to be.
    package func append(_ scalar: Unicode.Scalar, to text: inout String) {
        switch scalar {
        case "\"": text += "\\\""
        case "\\": text += "\\\\"
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text += "\\t"
        default:
            guard escapes(scalar.value) else {
                text.unicodeScalars.append(scalar)
                return
            }
            let digits = String(scalar.value, radix: 16)
            switch self {
            case .json: text += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            case .controls, .terminalControls: text += "\\u{" + digits + "}"
            }
        }
    }

    /// Whether a code point other than newline, carriage return and tab is written escaped.
    private func escapes(_ value: UInt32) -> Bool {
        switch self {
        case .json, .controls: return value < 0x20
        case .terminalControls: return value < 0x20 || value == 0x7F || (0x80..<0xA0).contains(value)
        }
    }
}
