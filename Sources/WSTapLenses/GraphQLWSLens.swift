import WSTapCore

/// GraphQL over WebSocket: `graphql-transport-ws` (enisdenjo/graphql-ws) and the legacy `graphql-ws`
/// (subscriptions-transport-ws). An operation's `id` pairs `subscribe`/`start` with its `next`/`data`
/// items and its `complete` or `error`.
public struct GraphQLWSLens: StatelessLens {
    /// `graphql`.
    public let name = "graphql"

    /// The lens.
    public init() {}

    /// `graphql-transport-ws` or the legacy `graphql-ws`.
    public func claims(subprotocol: String) -> Bool {
        subprotocol == "graphql-transport-ws" || subprotocol == "graphql-ws"
    }

    /// A client's `connection_init`.
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard message.isText, let value = try? JSONText.parse(message.bytes) else { return false }
        return value["type"] == .string("connection_init")
    }

    /// The views of one message.
    public static func decode(_ message: LensMessage) -> [LensView] {
        let (parsed, failure) = message.parsedJSON()
        guard let value = parsed else { return failure }
        guard case .object(let fields) = value else {
            return [.doesNotParse("a GraphQL over WebSocket message is an object")]
        }
        guard let type = value["type"]?.stringValue else {
            return [.doesNotParse("no \"type\" string")]
        }
        return [GraphQLWSLens.view(type: type, value: value, fields: fields, direction: message.direction)]
    }

    static func view(type: String, value: LensValue, fields: [LensField], direction: TrafficDirection) -> LensView {
        let id = value["id"].map { $0.stringValue ?? $0.json }
        let payload = value["payload"]
        func exchange(_ role: LensCorrelation.Role, ends: Bool? = nil) -> LensCorrelation? {
            id.map { LensCorrelation(id: $0, role: role, ends: ends) }
        }
        let idText = id.map { " \($0)" } ?? ""
        switch type {
        case "connection_init":
            return LensView(
                summary: "connection_init" + (payload.map { " " + $0.json(limit: 60) } ?? ""), fields: fields,
                correlation: LensCorrelation(id: "connection", role: .request), method: "connection_init")
        case "connection_ack", "connection_error":
            return LensView(
                summary: type + (payload.map { " " + $0.json(limit: 60) } ?? ""), fields: fields,
                correlation: LensCorrelation(id: "connection", role: .response), isError: type == "connection_error")
        case "ping":
            return LensView(
                summary: "ping", fields: fields, correlation: LensCorrelation(id: "ping", role: .request),
                method: "ping")
        case "pong":
            return LensView(summary: "pong", fields: fields, correlation: LensCorrelation(id: "ping", role: .response))
        case "subscribe", "start":
            return LensView(
                summary: "\(type)\(idText) " + operationText(payload), fields: fields, correlation: exchange(.request),
                method: operationText(payload, withVariables: false))
        case "next", "data":
            var summary = "\(type)\(idText)"
            if let data = payload?["data"] { summary += " " + data.json(limit: 80) }
            let errors = payload?["errors"]?.listValue ?? []
            if !errors.isEmpty { summary += " errors=\(errors.count)" }
            return LensView(
                summary: summary, fields: fields, correlation: exchange(.response, ends: false),
                isError: !errors.isEmpty)
        case "error":
            let first = payload?.listValue?.first ?? payload
            let text = first?["message"]?.stringValue ?? payload?.json(limit: 60) ?? ""
            return LensView(
                summary: "error\(idText) \(text)", fields: fields, correlation: exchange(.response), isError: true)
        case "complete":
            // From the server it ends the operation; from the client it cancels it.
            let role: LensCorrelation.Role = direction == .serverToClient ? .response : .event
            return LensView(summary: "complete\(idText)", fields: fields, correlation: exchange(role, ends: true))
        case "stop":
            return LensView(summary: "stop\(idText)", fields: fields, correlation: exchange(.event, ends: true))
        default:
            return LensView(summary: type + idText, fields: fields, method: type)
        }
    }

    /// `subscription OnMessage {"room":1}`: the operation's kind and name (from `operationName` or the
    /// query text), and its variables.
    static func operationText(_ payload: LensValue?, withVariables: Bool = true) -> String {
        guard let payload else { return "(no payload)" }
        let query = payload["query"]?.stringValue ?? ""
        let words = query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).prefix(2)
        var kind = "query"
        var name = payload["operationName"]?.stringValue
        if let first = words.first, ["query", "mutation", "subscription"].contains(String(first)) {
            kind = String(first)
            if name == nil, words.count > 1 { name = String(words[words.index(after: words.startIndex)]) }
        }
        var text = kind + (name.map { " " + $0 } ?? "")
        if withVariables, let variables = payload["variables"], variables != .null {
            text += " " + variables.json(limit: 60)
        }
        return text
    }
}
