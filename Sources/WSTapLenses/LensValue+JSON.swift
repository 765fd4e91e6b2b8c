extension LensValue {
    /// The value as compact JSON text (bytes as `{"hex": "...", "length": n}`): the `fields` of a JSON event,
    /// and the argument lists of summaries.
    public var json: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// At most `limit` characters of ``json``, ending in `…` when cut: for one-line summaries.
    public func json(limit: Int) -> String {
        let text = json
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let text): out += text
        case .string(let text): Self.writeString(text, to: &out)
        case .bytes(let bytes):
            out += "{\"hex\":\""
            out += Self.hex(bytes)
            out += "\",\"length\":\(bytes.count)}"
        case .list(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += "," }
                Self.writeString(field.name, to: &out)
                out += ":"
                field.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// Bytes as lowercase hexadecimal, two digits each, no separators.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var text = String.UnicodeScalarView()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(text)
    }

    /// A JSON string literal (RFC 8259 escapes; control characters as `\u00XX`).
    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let code = Self.hex([UInt8(scalar.value)])
                    out += "\\u00" + code
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
