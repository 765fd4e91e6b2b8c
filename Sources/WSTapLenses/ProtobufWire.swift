/// Protocol Buffers' wire format read without a schema (protobuf.dev/programming-guides/encoding): a
/// message is a list of fields, each a key (field number and wire type) and a value. What a
/// length-delimited value holds cannot be known without the schema: it is read as text when it is
/// printable UTF-8, else as a nested message when it parses as one, else as packed varints when it parses
/// as those, else as bytes, and the field's name says which guess was made.
enum ProtobufWire {
    /// The wire types.
    enum WireType: UInt8 {
        case varint = 0
        case i64 = 1
        case len = 2
        case startGroup = 3
        case endGroup = 4
        case i32 = 5

        var name: String {
            switch self {
            case .varint: return "varint"
            case .i64: return "i64"
            case .len: return "len"
            case .startGroup: return "group"
            case .endGroup: return "end group"
            case .i32: return "i32"
            }
        }
    }

    /// Why bytes are not a protobuf message.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// One field as it is on the wire.
    enum Value {
        case varint(UInt64)
        case i64(UInt64)
        case i32(UInt32)
        case len(ArraySlice<UInt8>)
        /// A group's fields (the deprecated wire types 3 and 4).
        case group([Field])
    }

    /// A field number and its value.
    struct Field {
        var number: UInt64
        var value: Value
    }

    /// Nested messages are guessed to this depth at most.
    static let maximumDepth = 32

    /// Reads the fields of a message.
    static func fields(_ bytes: ArraySlice<UInt8>, depth: Int = 0) throws(Problem) -> [Field] {
        var index = bytes.startIndex
        var fields: [Field] = []
        while index < bytes.endIndex {
            let (field, ended) = try field(bytes, at: &index, depth: depth)
            if ended {
                throw Problem(description: "an end of group with no group open at byte \(index - bytes.startIndex)")
            }
            fields.append(field)
        }
        return fields
    }

    /// One field at `index`; `ended` is true for an end-of-group key (its field is empty).
    private static func field(
        _ bytes: ArraySlice<UInt8>, at index: inout Int, depth: Int
    ) throws(Problem) -> (Field, ended: Bool) {
        let start = index - bytes.startIndex
        let key = try varint(bytes, at: &index)
        let number = key >> 3
        guard let type = WireType(rawValue: UInt8(key & 7)) else {
            throw Problem(description: "wire type \(key & 7) (there is none such) at byte \(start)")
        }
        guard number > 0, number < 1 << 29 else {
            throw Problem(description: "field number \(number) (1 to 2^29-1 allowed) at byte \(start)")
        }
        switch type {
        case .varint: return (Field(number: number, value: .varint(try varint(bytes, at: &index))), false)
        case .i64: return (Field(number: number, value: .i64(try fixed(bytes, at: &index, count: 8))), false)
        case .i32:
            return (
                Field(number: number, value: .i32(UInt32(truncatingIfNeeded: try fixed(bytes, at: &index, count: 4)))),
                false
            )
        case .len:
            let length = try varint(bytes, at: &index)
            guard length <= UInt64(bytes.endIndex - index) else {
                throw Problem(description: "field \(number) has \(length) bytes but \(bytes.endIndex - index) are left")
            }
            let end = index + Int(length)
            defer { index = end }
            return (Field(number: number, value: .len(bytes[index..<end])), false)
        case .startGroup:
            guard depth < maximumDepth else { throw Problem(description: "groups nested deeper than \(maximumDepth)") }
            var members: [Field] = []
            while true {
                guard index < bytes.endIndex else { throw Problem(description: "group \(number) never ends") }
                let (member, ended) = try field(bytes, at: &index, depth: depth + 1)
                if ended {
                    guard member.number == number else {
                        throw Problem(description: "group \(number) ended by the end of group \(member.number)")
                    }
                    break
                }
                members.append(member)
            }
            return (Field(number: number, value: .group(members)), false)
        case .endGroup:
            return (Field(number: number, value: .group([])), true)
        }
    }

    /// A base-128 varint (at most 10 bytes).
    static func varint(_ bytes: ArraySlice<UInt8>, at index: inout Int) throws(Problem) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw Problem(description: "the message ends inside a varint") }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw Problem(description: "a varint longer than 10 bytes") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A little-endian number of `count` bytes.
    static func fixed(_ bytes: ArraySlice<UInt8>, at index: inout Int, count: Int) throws(Problem) -> UInt64 {
        guard bytes.endIndex - index >= count else {
            throw Problem(description: "the message ends inside a fixed-size value")
        }
        var value: UInt64 = 0
        for offset in 0..<count { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += count
        return value
    }

    /// ZigZag decoding (`sint32`, `sint64`).
    static func zigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    /// An unsigned value as a lens value (beyond Int64 as digits).
    static func unsigned(_ value: UInt64) -> LensValue {
        value <= UInt64(Int64.max) ? .integer(Int64(value)) : .number(String(value))
    }

    // MARK: Without a schema

    /// The fields as a tree, each named by its number and wire type, and for a length-delimited value
    /// what it was guessed to hold.
    static func tree(_ fields: [Field], depth: Int = 0) -> [LensField] {
        fields.map { field in
            let number = String(field.number)
            switch field.value {
            case .varint(let value): return LensField("\(number) varint", unsigned(value))
            case .i64(let bits):
                return LensField(
                    "\(number) i64",
                    .object([
                        LensField("fixed64", unsigned(bits)),
                        LensField("double", BinaryValueReader.number(Double(bitPattern: bits))),
                    ]))
            case .i32(let bits):
                return LensField(
                    "\(number) i32",
                    .object([
                        LensField("fixed32", .integer(Int64(bits))),
                        LensField("float", BinaryValueReader.number(Double(Float(bitPattern: bits)))),
                    ]))
            case .group(let members): return LensField("\(number) group", .object(tree(members, depth: depth + 1)))
            case .len(let bytes):
                let (guess, value) = guessed(bytes, depth: depth)
                return LensField("\(number) \(guess)", value)
            }
        }
    }

    /// What a length-delimited value holds, guessed: `text`, `message (guess)`, `packed varints (guess)` or
    /// `bytes`; with the value.
    static func guessed(_ bytes: ArraySlice<UInt8>, depth: Int) -> (String, LensValue) {
        if let text = printableText(bytes) { return ("text", .string(text)) }
        if depth < maximumDepth, let nested = try? fields(bytes, depth: depth + 1), !nested.isEmpty {
            return ("message (guess)", .object(tree(nested, depth: depth + 1)))
        }
        if let packed = packedVarints(bytes) { return ("packed varints (guess)", .list(packed.map(unsigned))) }
        return ("bytes", .bytes(Array(bytes)))
    }

    /// UTF-8 text with no control characters but tab, CR and LF (empty counts too).
    static func printableText(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        for scalar in text.unicodeScalars
        where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" {
            return nil
        }
        return text
    }

    /// Varints one after the other filling the bytes exactly, or nil.
    static func packedVarints(_ bytes: ArraySlice<UInt8>) -> [UInt64]? {
        var index = bytes.startIndex
        var values: [UInt64] = []
        while index < bytes.endIndex {
            guard let value = try? varint(bytes, at: &index) else { return nil }
            values.append(value)
        }
        return values.isEmpty ? nil : values
    }

    /// A compact one-line text of fields: `1:150 2:"hi" 3:{1:1}`.
    static func compact(_ fields: [LensField], limit: Int) -> String {
        var out = ""
        for field in fields {
            if !out.isEmpty { out += " " }
            let number = field.name.split(separator: " ").first.map(String.init) ?? field.name
            out += number + ":" + compact(field.value, limit: limit)
            if out.count > limit { break }
        }
        return out.count > limit ? String(out.prefix(max(0, limit - 1))) + "…" : out
    }

    private static func compact(_ value: LensValue, limit: Int) -> String {
        switch value {
        case .object(let fields):
            // An i64/i32 pair: its integer reading.
            if fields.count == 2, let first = fields.first, first.name == "fixed64" || first.name == "fixed32" {
                return first.value.json
            }
            return "{" + compact(fields, limit: limit) + "}"
        default:
            return value.json(limit: limit)
        }
    }
}
