import WSTapCore

/// SignalR's JSON hub protocol (dotnet/aspnetcore, src/SignalR/docs/specs/HubProtocol.md): records of JSON
/// each ended by 0x1E, several to a message; the handshake first (`{"protocol":"json","version":1}`,
/// answered by `{}` or an error), then messages by `type`: 1 invocation, 2 stream item, 3 completion, 4
/// stream invocation, 5 cancel invocation, 6 ping, 7 close, 8 ack, 9 sequence. An invocation with an
/// `invocationId` is answered by its stream items and its completion.
public struct SignalRLens: Lens {
    /// `signalr`.
    public let name = "signalr"

    /// The lens.
    public init() {}

    /// The client's handshake record: `{"protocol": ..., "version": ...}` ended by 0x1E.
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard message.isText, message.bytes.last == SignalRLens.separator,
            let first = message.bytes.split(separator: SignalRLens.separator).first,
            let value = try? JSONText.parse(first)
        else { return false }
        return value["protocol"]?.stringValue != nil && value["version"] != nil
    }

    /// A decoder: SignalR records come whole in their messages.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder()
    }

    /// The record separator, 0x1E.
    static let separator: UInt8 = 0x1E

    static let typeNames = [
        1: "invocation", 2: "stream item", 3: "completion", 4: "stream invocation", 5: "cancel invocation",
        6: "ping", 7: "close", 8: "ack", 9: "sequence",
    ]

    struct Decoder: LensDecoder {
        mutating func decode(_ message: LensMessage) -> [LensView] {
            guard message.bytes.last == SignalRLens.separator else {
                return [.doesNotParse("a SignalR message ends with the record separator 0x1E")]
            }
            return message.bytes.split(separator: SignalRLens.separator, omittingEmptySubsequences: false).dropLast()
                .map { record in
                    do {
                        return SignalRLens.view(try JSONText.parse(record), direction: message.direction)
                    } catch {
                        return .doesNotParse("a record is not JSON: \(error)")
                    }
                }
        }
    }

    static func view(_ value: LensValue, direction: TrafficDirection) -> LensView {
        guard case .object(let fields) = value else { return .doesNotParse("a record is a JSON object") }
        guard let type = value["type"]?.integerValue else {
            // The handshake: the client's request, the server's answer ({} or an error).
            if let protocolName = value["protocol"]?.stringValue {
                let version = value["version"].map { " v" + $0.json } ?? ""
                return LensView(
                    summary: "handshake \(protocolName)\(version)", fields: fields,
                    correlation: LensCorrelation(id: "handshake", role: .request), method: "handshake")
            }
            let error = value["error"]?.stringValue
            return LensView(
                summary: "handshake " + (error.map { "error \($0)" } ?? "accepted"), fields: fields,
                correlation: LensCorrelation(id: "handshake", role: .response), isError: error != nil)
        }
        let id = value["invocationId"]?.stringValue
        let idText = id.map { " id=\($0)" } ?? ""
        let target = value["target"]?.stringValue ?? "?"
        let name = typeNames[Int(type)] ?? "type \(type)"
        switch type {
        case 1, 4:
            let arguments = value["arguments"].map { " " + $0.json(limit: 80) } ?? ""
            let prefix = type == 4 ? "stream " : ""
            return LensView(
                summary: "\(prefix)\(target)\(arguments)\(idText)", fields: fields,
                correlation: id.map { LensCorrelation(id: $0, role: .request) }, method: target)
        case 2:
            let item = value["item"].map { " " + $0.json(limit: 80) } ?? ""
            return LensView(
                summary: "item\(idText)\(item)", fields: fields,
                correlation: id.map { LensCorrelation(id: $0, role: .response, ends: false) })
        case 3:
            let error = value["error"]?.stringValue
            var summary = "completion\(idText)"
            if let error {
                summary += " error \(error)"
            } else if let result = value["result"] {
                summary += " " + result.json(limit: 80)
            }
            return LensView(
                summary: summary, fields: fields, correlation: id.map { LensCorrelation(id: $0, role: .response) },
                isError: error != nil)
        case 5:
            return LensView(
                summary: "cancel\(idText)", fields: fields,
                correlation: id.map { LensCorrelation(id: $0, role: .event, ends: true) }, method: "cancel")
        case 7:
            let error = value["error"]?.stringValue
            return LensView(
                summary: "close" + (error.map { " \($0)" } ?? ""), fields: fields, method: "close",
                isError: error != nil)
        default:
            return LensView(summary: name, fields: fields, method: name)
        }
    }
}
