import WSTapCore

extension LensValue {
    /// The value as compact JSON text (bytes as `{"hex": "...", "length": n}`): the `fields` of a JSON event,
    /// and the argument lists of summaries.
    public var json: String {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// At most `limit` characters of ``json``, ending in `…` when cut: for one-line summaries.
    public func json(limit: Int) -> String {
        let text = json
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }

    /// Appends the value as compact JSON (``json``) in UTF-8 to `out`: strings escaped in runs, bytes as hex
    /// straight from a table.
    public func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): out.append(contentsOf: String(value).utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): JSONStringBytes.append(text, escapingLineSeparators: true, to: &out)
        case .bytes(let bytes):
            out.append(contentsOf: #"{"hex":""#.utf8)
            LowercaseHex.append(bytes, to: &out)
            out.append(contentsOf: #"","length":"#.utf8)
            out.append(contentsOf: String(bytes.count).utf8)
            out.append(UInt8(ascii: "}"))
        case .list(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (index, field) in fields.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONStringBytes.append(field.name, escapingLineSeparators: true, to: &out)
                out.append(UInt8(ascii: ":"))
                field.value.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Bytes as lowercase hexadecimal, two digits each, no separators.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        LowercaseHex.string(bytes)
    }
}
