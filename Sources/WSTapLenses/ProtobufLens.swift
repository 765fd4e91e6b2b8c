/// Protocol Buffers messages in binary WebSocket messages: without a schema, every field by number and wire
/// type (what a length-delimited field holds guessed, and the guess said); with one (`--proto`), as the
/// schema's message type with its field names, enums by name, repeated fields as lists. It claims
/// connections whose subprotocol names protobuf; `--lens protobuf` (or `--proto`) forces it.
public struct ProtobufLens: Lens {
    /// `protobuf`.
    public let name = "protobuf"
    /// The schema messages are read with, if one was given.
    public let schema: ProtobufSchema?

    /// The lens, reading messages without a schema, or as `schema`'s root type.
    public init(schema: ProtobufSchema? = nil) {
        self.schema = schema
    }

    /// A subprotocol that names protobuf (`protobuf`, `v1.protobuf.example`).
    public func claims(subprotocol: String) -> Bool {
        subprotocol.lowercased().contains("protobuf")
    }

    /// Never by a first message: almost any bytes parse as some protobuf message.
    public func claims(firstMessage message: LensMessage) -> Bool { false }

    /// A decoder: messages have no state between them.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder(schema: schema)
    }

    struct Decoder: LensDecoder {
        let schema: ProtobufSchema?

        mutating func decode(_ message: LensMessage) -> [LensView] {
            [ProtobufLens.view(of: message.bytes, schema: schema)]
        }
    }

    /// The view of one message's bytes.
    static func view(of bytes: [UInt8], schema: ProtobufSchema?) -> LensView {
        let wire: [ProtobufWire.Field]
        do {
            wire = try ProtobufWire.fields(bytes[...])
        } catch {
            return .doesNotParse("not a protobuf message: \(error)")
        }
        if let schema {
            let fields = ProtobufWire.tree(wire, type: schema.root, schema: schema)
            let short = schema.root.split(separator: ".").last.map(String.init) ?? schema.root
            return LensView(
                summary: short + " " + LensValue.object(fields).json(limit: 100), fields: fields, method: short)
        }
        let fields = ProtobufWire.tree(wire)
        let count = wire.count == 1 ? "1 field" : "\(wire.count) fields"
        return LensView(
            summary: "\(count) " + ProtobufWire.compact(fields, limit: 100), fields: fields, method: "message")
    }
}
