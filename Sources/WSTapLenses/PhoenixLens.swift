import WSTapCore

/// Phoenix channels (phoenixframework/phoenix): serializer v2 sends arrays `[join_ref, ref, topic, event,
/// payload]`, v1 objects with the same keys. A client message with a `ref` is answered by the server's
/// `phx_reply` with that `ref` (`{"status": "ok" | "error", "response": ...}`); heart-beats go to the topic
/// `phoenix`.
public struct PhoenixLens: Lens {
    /// `phoenix`.
    public let name = "phoenix"

    /// The lens.
    public init() {}

    /// A `vsn` query parameter on a path that ends in `/websocket` (`/socket/websocket?vsn=2.0.0`).
    public func claims(url connection: LensConnection) -> Bool {
        connection.path.hasSuffix("/websocket") && connection.queryValue("vsn") != nil
    }

    /// A first message in either format whose event is a string and topic a string (a `phx_join`, say).
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard message.isText, let value = try? JSONText.parse(message.bytes),
            let parts = PhoenixLens.parts(value)
        else { return false }
        return parts.event.hasPrefix("phx_") || parts.topic == "phoenix"
    }

    /// A decoder: Phoenix has no state between messages.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder()
    }

    struct Parts {
        var joinRef: LensValue
        var ref: LensValue
        var topic: String
        var event: String
        var payload: LensValue
    }

    /// The five parts of a message in the v2 (array) or v1 (object) format.
    static func parts(_ value: LensValue) -> Parts? {
        if let array = value.listValue {
            guard array.count == 5, let topic = array[2].stringValue, let event = array[3].stringValue else {
                return nil
            }
            return Parts(joinRef: array[0], ref: array[1], topic: topic, event: event, payload: array[4])
        }
        guard let topic = value["topic"]?.stringValue, let event = value["event"]?.stringValue else { return nil }
        return Parts(
            joinRef: value["join_ref"] ?? .null, ref: value["ref"] ?? .null, topic: topic, event: event,
            payload: value["payload"] ?? .null)
    }

    struct Decoder: LensDecoder {
        mutating func decode(_ message: LensMessage) -> [LensView] {
            guard message.isText else {
                return [
                    LensView(
                        summary: "binary message (\(message.bytes.count) B)",
                        fields: [LensField("data", .bytes(message.bytes))], method: "binary")
                ]
            }
            let (parsed, failure) = message.parsedJSON()
            guard let value = parsed else { return failure }
            guard let parts = PhoenixLens.parts(value) else {
                return [
                    .doesNotParse("a Phoenix message is [join_ref, ref, topic, event, payload] or an object of them")
                ]
            }
            return [PhoenixLens.view(parts, direction: message.direction)]
        }
    }

    static func view(_ parts: Parts, direction: TrafficDirection) -> LensView {
        let ref = parts.ref == .null ? nil : (parts.ref.stringValue ?? parts.ref.json)
        let fields = [
            LensField("joinRef", parts.joinRef), LensField("ref", parts.ref), LensField("topic", .string(parts.topic)),
            LensField("event", .string(parts.event)), LensField("payload", parts.payload),
        ]
        let refText = ref.map { " ref=\($0)" } ?? ""
        if parts.event == "phx_reply" {
            let status = parts.payload["status"]?.stringValue ?? "?"
            let response = parts.payload["response"].map { " " + $0.json(limit: 80) } ?? ""
            return LensView(
                summary: "\(parts.topic) phx_reply \(status)\(response)\(refText)", fields: fields,
                correlation: ref.map { LensCorrelation(id: $0, role: .response) }, isError: status == "error")
        }
        let summary = "\(parts.topic) \(parts.event) \(parts.payload.json(limit: 80))\(refText)"
        // The client's messages with a ref wait for a reply; the server's pushes and broadcasts do not.
        let correlation = direction == .clientToServer ? ref.map { LensCorrelation(id: $0, role: .request) } : nil
        return LensView(
            summary: summary, fields: fields, correlation: correlation, method: parts.event,
            isError: parts.event == "phx_error")
    }
}
