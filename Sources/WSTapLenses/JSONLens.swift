/// Plain JSON text, the fallback for text messages no other lens claims: the value as a tree.
public struct JSONLens: Lens {
    /// `json`.
    public let name = "json"

    /// The lens.
    public init() {}

    /// A text message that is a JSON object or array.
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard message.isText, let first = message.bytes.first(where: { !JSONLens.isSpace($0) }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return false }
        return (try? JSONText.parse(message.bytes)) != nil
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// A decoder: JSON has no state between messages.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder()
    }

    struct Decoder: LensDecoder {
        mutating func decode(_ message: LensMessage) -> [LensView] {
            [JSONLens.view(of: message)]
        }
    }

    /// The view of a decoded value (JSON, MessagePack, CBOR): the value as compact JSON, and what it is
    /// about when a member says so (`{"type": "subscribe", ...}`).
    static func view(of value: LensValue) -> LensView {
        let method = ["type", "event", "action", "method", "op", "cmd", "kind"].lazy.compactMap {
            value[$0]?.stringValue
        }.first
        return LensView(summary: value.json(limit: 100), fields: [LensField("value", value)], method: method)
    }

    /// The view of one message: its value, or why it is not JSON.
    static func view(of message: LensMessage) -> LensView {
        do {
            return view(of: try JSONText.parse(message.bytes))
        } catch {
            return .doesNotParse("not JSON: \(error)")
        }
    }
}
