/// MessagePack (msgpack.org spec), without a schema: every value of a binary message, as JSON would show it
/// (binary as bytes, extension types as `{"ext": type, "data": bytes}`). It claims connections whose
/// subprotocol names MessagePack (`wamp.2.msgpack`, `messagepack`); `--lens msgpack` forces it.
public struct MessagePackLens: Lens {
    /// `msgpack`.
    public let name = "msgpack"

    /// The lens.
    public init() {}

    /// A subprotocol that names MessagePack.
    public func claims(subprotocol: String) -> Bool {
        let lowered = subprotocol.lowercased()
        return lowered.contains("msgpack") || lowered.contains("messagepack")
    }

    /// Never by a first message: too many binary messages would look like MessagePack.
    public func claims(firstMessage message: LensMessage) -> Bool { false }

    /// A decoder: MessagePack has no state between messages.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder()
    }

    struct Decoder: LensDecoder {
        mutating func decode(_ message: LensMessage) -> [LensView] {
            BinaryValueReader.views(of: message, format: "MessagePack") { try MessagePackLens.value(&$0, depth: 0) }
        }
    }

    static func value(_ reader: inout BinaryValueReader, depth: Int) throws(BinaryValueReader.Problem) -> LensValue {
        guard depth < JSONText.maximumDepth else {
            throw BinaryValueReader.Problem(description: "nested deeper than \(JSONText.maximumDepth)")
        }
        let first = try reader.byte()
        switch first {
        case 0x00...0x7F: return .integer(Int64(first))
        case 0x80...0x8F: return try map(&reader, count: UInt64(first & 0x0F), depth: depth)
        case 0x90...0x9F: return try array(&reader, count: UInt64(first & 0x0F), depth: depth)
        case 0xA0...0xBF: return BinaryValueReader.text(try reader.take(UInt64(first & 0x1F)))
        case 0xC0: return .null
        case 0xC2: return .bool(false)
        case 0xC3: return .bool(true)
        case 0xC4, 0xC5, 0xC6: return .bytes(try reader.take(try reader.unsigned(1 << Int(first - 0xC4))))
        case 0xC7, 0xC8, 0xC9:
            let length = try reader.unsigned(1 << Int(first - 0xC7))
            return try ext(&reader, length: length)
        case 0xCA: return BinaryValueReader.number(Double(Float(bitPattern: UInt32(try reader.unsigned(4)))))
        case 0xCB: return BinaryValueReader.number(Double(bitPattern: try reader.unsigned(8)))
        case 0xCC, 0xCD, 0xCE, 0xCF:
            let value = try reader.unsigned(1 << Int(first - 0xCC))
            return value <= UInt64(Int64.max) ? .integer(Int64(value)) : .number(String(value))
        case 0xD0, 0xD1, 0xD2, 0xD3:
            let size = 1 << Int(first - 0xD0)
            let raw = try reader.unsigned(size)
            // Sign-extend from `size` bytes.
            let shift = UInt64(64 - size * 8)
            return .integer(Int64(bitPattern: raw << shift) >> Int64(shift))
        case 0xD4, 0xD5, 0xD6, 0xD7, 0xD8: return try ext(&reader, length: UInt64(1 << Int(first - 0xD4)))
        case 0xD9, 0xDA, 0xDB:
            return BinaryValueReader.text(try reader.take(try reader.unsigned(1 << Int(first - 0xD9))))
        case 0xDC, 0xDD: return try array(&reader, count: try reader.unsigned(first == 0xDC ? 2 : 4), depth: depth)
        case 0xDE, 0xDF: return try map(&reader, count: try reader.unsigned(first == 0xDE ? 2 : 4), depth: depth)
        case 0xE0...0xFF: return .integer(Int64(Int8(bitPattern: first)))
        default: throw BinaryValueReader.Problem(description: "0xc1 is never used")
        }
    }

    static func ext(_ reader: inout BinaryValueReader, length: UInt64) throws(BinaryValueReader.Problem) -> LensValue {
        let type = Int8(bitPattern: try reader.byte())
        let data = try reader.take(length)
        return .object([LensField("ext", .integer(Int64(type))), LensField("data", .bytes(data))])
    }

    static func array(
        _ reader: inout BinaryValueReader, count: UInt64, depth: Int
    ) throws(BinaryValueReader.Problem) -> LensValue {
        try reader.checkCount(count)
        var elements: [LensValue] = []
        for _ in 0..<count { elements.append(try value(&reader, depth: depth + 1)) }
        return .list(elements)
    }

    static func map(
        _ reader: inout BinaryValueReader, count: UInt64, depth: Int
    ) throws(BinaryValueReader.Problem) -> LensValue {
        try reader.checkCount(count, each: 2)
        var fields: [LensField] = []
        for _ in 0..<count {
            let key = try value(&reader, depth: depth + 1)
            fields.append(LensField(BinaryValueReader.key(key), try value(&reader, depth: depth + 1)))
        }
        return .object(fields)
    }
}
