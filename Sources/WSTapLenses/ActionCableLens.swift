/// Action Cable (rails/rails, actioncable): the server welcomes and pings; the client subscribes to a
/// channel by its `identifier` (JSON inside a string), sends `message` commands with an `action`; the server
/// confirms or rejects a subscription and broadcasts messages to it.
public struct ActionCableLens: StatelessLens {
    /// `actioncable`.
    public let name = "actioncable"

    /// The lens.
    public init() {}

    /// `actioncable-v1-json` and its kin (`actioncable-v1.1-json`, `actioncable-unsupported`).
    public func claims(subprotocol: String) -> Bool {
        subprotocol.hasPrefix("actioncable-")
    }

    /// The server's `{"type": "welcome"}`.
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard message.isText, let value = try? JSONText.parse(message.bytes) else { return false }
        return value["type"] == .string("welcome")
    }

    /// The views of one message.
    public static func decode(_ message: LensMessage) -> [LensView] {
        let (parsed, failure) = message.parsedJSON()
        guard let value = parsed else { return failure }
        guard case .object(var fields) = value else {
            return [.doesNotParse("an Action Cable message is an object")]
        }
        let identifier = value["identifier"]?.stringValue
        // The identifier is JSON in a string: its channel names the subscription.
        let parsedIdentifier = identifier.flatMap { try? JSONText.parse($0) }
        if let parsedIdentifier { fields.append(LensField("identifierDecoded", parsedIdentifier)) }
        let channel = parsedIdentifier?["channel"]?.stringValue ?? identifier ?? ""
        let subscription = identifier.map { LensCorrelation(id: "subscribe \($0)", role: .request) }
        if let command = value["command"]?.stringValue {
            switch command {
            case "subscribe":
                return [
                    LensView(
                        summary: "subscribe \(channel)", fields: fields, correlation: subscription,
                        method: "subscribe \(channel)")
                ]
            case "message":
                let data = value["data"]?.stringValue.flatMap { try? JSONText.parse($0) }
                if let data { fields.append(LensField("dataDecoded", data)) }
                let action = data?["action"]?.stringValue
                return [
                    LensView(
                        summary: "message \(channel)" + (action.map { " \($0)" } ?? "")
                            + (data.map { " " + $0.json(limit: 60) } ?? ""),
                        fields: fields, method: "\(channel) \(action ?? "message")")
                ]
            default:
                return [LensView(summary: "\(command) \(channel)", fields: fields, method: "\(command) \(channel)")]
            }
        }
        if let type = value["type"]?.stringValue {
            var answer: LensCorrelation?
            if let identifier, type == "confirm_subscription" || type == "reject_subscription" {
                answer = LensCorrelation(id: "subscribe \(identifier)", role: .response)
            }
            var summary = type
            if !channel.isEmpty { summary += " \(channel)" }
            if type == "disconnect", let reason = value["reason"]?.stringValue { summary += " \(reason)" }
            if type == "ping", let time = value["message"] { summary += " \(time.json)" }
            return [
                LensView(
                    summary: summary, fields: fields, correlation: answer, method: answer == nil ? type : nil,
                    isError: type == "reject_subscription")
            ]
        }
        if let broadcast = value["message"] {
            return [
                LensView(
                    summary: "broadcast \(channel) \(broadcast.json(limit: 80))", fields: fields,
                    method: "broadcast \(channel)")
            ]
        }
        return [.doesNotParse("neither a command, a type nor a message")]
    }
}
