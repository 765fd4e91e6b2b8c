/// The message types of a protobuf schema, as the protobuf lens reads them: each type's fields by number
/// (name, type, repeated or not) and the enums' value names. Made from a descriptor set by the CLI
/// (`--proto`); pure data, so the lens needs no protobuf library.
public struct ProtobufSchema: Sendable, Equatable {
    /// A field's type, numbered as in descriptor.proto's `FieldDescriptorProto.Type`.
    public enum Kind: Int, Sendable, Equatable {
        case double = 1
        case float = 2
        case int64 = 3
        case uint64 = 4
        case int32 = 5
        case fixed64 = 6
        case fixed32 = 7
        case bool = 8
        case string = 9
        case group = 10
        case message = 11
        case bytes = 12
        case uint32 = 13
        case enumeration = 14
        case sfixed32 = 15
        case sfixed64 = 16
        case sint32 = 17
        case sint64 = 18

        /// Whether values of the type may be packed (every scalar but strings, bytes and messages).
        var isPackable: Bool {
            switch self {
            case .string, .bytes, .message, .group: return false
            default: return true
            }
        }
    }

    /// One field of a message type.
    public struct Field: Sendable, Equatable {
        /// Its name in the schema.
        public var name: String
        /// Its type.
        public var kind: Kind
        /// For a message or enum field: the type's full name, without the leading dot (`chat.Message`).
        public var typeName: String?
        /// Whether it is `repeated`.
        public var isRepeated: Bool

        /// A field called `name` of `kind` (a message or enum field names its type).
        public init(name: String, kind: Kind, typeName: String? = nil, isRepeated: Bool = false) {
            self.name = name
            self.kind = kind
            self.typeName = typeName
            self.isRepeated = isRepeated
        }
    }

    /// Message types by full name (`chat.Message`): their fields by number.
    public var messages: [String: [UInt64: Field]]
    /// Enum types by full name: their values' names by number.
    public var enums: [String: [Int64: String]]
    /// The message type every message is read as.
    public var root: String

    /// A schema of these types, reading every message as `root`.
    public init(messages: [String: [UInt64: Field]], enums: [String: [Int64: String]], root: String) {
        self.messages = messages
        self.enums = enums
        self.root = root
    }

    /// The type called `name`: its full name, or (when only one type has it) its short name.
    public func messageName(matching name: String) -> String? {
        let trimmed = name.hasPrefix(".") ? String(name.dropFirst()) : name
        if messages[trimmed] != nil { return trimmed }
        let matches = messages.keys.filter { $0.split(separator: ".").last.map(String.init) == trimmed }
        return matches.count == 1 ? matches.first : nil
    }
}

extension ProtobufWire {
    /// The fields of a message of type `type` as a tree: named as the schema names them, repeated fields as
    /// lists, enums by name; a field the schema has not is read as without one (`7 unknown varint`).
    static func tree(_ fields: [Field], type: String, schema: ProtobufSchema, depth: Int = 0) -> [LensField] {
        guard let known = schema.messages[type] else { return tree(fields, depth: depth) }
        var out: [LensField] = []
        /// Where each repeated field's list is in `out`.
        var lists: [UInt64: Int] = [:]
        for field in fields {
            guard let declared = known[field.number] else {
                for unknown in tree([field], depth: depth) {
                    let parts = unknown.name.split(separator: " ", maxSplits: 1)
                    let name = "\(parts.first ?? "") unknown" + (parts.count > 1 ? " \(parts[1])" : "")
                    out.append(LensField(name, unknown.value))
                }
                continue
            }
            let values = value(field.value, of: declared, schema: schema, depth: depth)
            if declared.isRepeated {
                if let at = lists[field.number], case .list(let earlier) = out[at].value {
                    out[at].value = .list(earlier + values)
                } else {
                    lists[field.number] = out.count
                    out.append(LensField(declared.name, .list(values)))
                }
            } else if let last = values.last {
                out.append(LensField(declared.name, last))
            }
        }
        return out
    }

    /// The values a wire field holds for a declared field: one, or several when packed.
    private static func value(
        _ wire: Value, of field: ProtobufSchema.Field, schema: ProtobufSchema, depth: Int
    ) -> [LensValue] {
        switch (wire, field.kind) {
        case (.len(let bytes), let kind) where field.isRepeated && kind.isPackable:
            return packed(bytes, kind: kind, field: field, schema: schema)
        case (.len(let bytes), .string):
            return [String(validating: bytes, as: UTF8.self).map(LensValue.string) ?? .bytes(Array(bytes))]
        case (.len(let bytes), .bytes): return [.bytes(Array(bytes))]
        case (.len(let bytes), .message):
            guard depth < maximumDepth, let type = field.typeName else { return [.bytes(Array(bytes))] }
            do {
                return [
                    .object(tree(try fields(bytes, depth: depth + 1), type: type, schema: schema, depth: depth + 1))
                ]
            } catch {
                return [
                    .object([
                        LensField("does not parse", .string(error.description)),
                        LensField("bytes", .bytes(Array(bytes))),
                    ])
                ]
            }
        case (.group(let members), _):
            return [.object(tree(members, type: field.typeName ?? "", schema: schema, depth: depth + 1))]
        case (.varint(let raw), let kind): return [scalar(raw, kind: kind, field: field, schema: schema)]
        case (.i64(let raw), let kind): return [scalar(raw, kind: kind, field: field, schema: schema)]
        case (.i32(let raw), let kind): return [scalar(UInt64(raw), kind: kind, field: field, schema: schema)]
        case (.len(let bytes), _):
            // A wire type the declared type cannot have: read as without a schema.
            return [guessed(bytes, depth: depth).1]
        }
    }

    private static func packed(
        _ bytes: ArraySlice<UInt8>, kind: ProtobufSchema.Kind, field: ProtobufSchema.Field, schema: ProtobufSchema
    ) -> [LensValue] {
        var index = bytes.startIndex
        var values: [LensValue] = []
        do {
            while index < bytes.endIndex {
                let raw: UInt64
                switch kind {
                case .double, .fixed64, .sfixed64: raw = try fixed(bytes, at: &index, count: 8)
                case .float, .fixed32, .sfixed32: raw = try fixed(bytes, at: &index, count: 4)
                default: raw = try varint(bytes, at: &index)
                }
                values.append(scalar(raw, kind: kind, field: field, schema: schema))
            }
        } catch {
            values.append(.object([LensField("does not parse", .string(error.description))]))
        }
        return values
    }

    /// A number read from the wire as its declared type.
    private static func scalar(
        _ raw: UInt64, kind: ProtobufSchema.Kind, field: ProtobufSchema.Field, schema: ProtobufSchema
    ) -> LensValue {
        switch kind {
        case .double: return BinaryValueReader.number(Double(bitPattern: raw))
        case .float: return BinaryValueReader.number(Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))))
        case .int64, .sfixed64: return .integer(Int64(bitPattern: raw))
        case .uint64, .fixed64: return unsigned(raw)
        case .int32, .sfixed32: return .integer(Int64(Int32(truncatingIfNeeded: raw)))
        case .uint32, .fixed32: return .integer(Int64(UInt32(truncatingIfNeeded: raw)))
        case .bool: return .bool(raw != 0)
        case .sint32, .sint64: return .integer(zigzag(raw))
        case .enumeration:
            let number = Int64(Int32(truncatingIfNeeded: raw))
            return field.typeName.flatMap { schema.enums[$0]?[number] }.map(LensValue.string) ?? .integer(number)
        case .string, .bytes, .message, .group: return unsigned(raw)
        }
    }
}
