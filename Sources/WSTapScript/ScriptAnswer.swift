import Foundation
public import NIOCore
public import WSTapCore
public import WSTapPipeline

/// What a script answers for one message (docs/scripts.md): one JSON object on one line.
///
/// - `{"action":"pass"}`: the message goes on as it came;
/// - `{"action":"replace","text":"..."}` (or `"base64":"..."` for a binary message): this message instead;
/// - `{"action":"drop"}`: nothing goes on;
/// - `{"action":"close","code":1000,"reason":"..."}`: the message is dropped and both sides are closed.
///
/// Any answer may add `"inject":[{"text":"..."},{"base64":"..."}]` (messages sent on right after it, the same
/// way) and `"reply":{"text":"..."}` (a message sent back to its sender, as if from the other side), and may
/// repeat the message's `"id"` (then it must be the id of the message it answers).
public struct ScriptAnswer: Sendable {
    /// What becomes of the message.
    public var decision: StageDecision
    /// The id the answer repeated, if any.
    public var id: UInt64?

    /// Why a line is not an answer.
    public struct Invalid: Error, CustomStringConvertible {
        /// What is wrong, in words.
        public var description: String
    }

    /// Reads one answer line; `by` names the script in the decision.
    public init(line: ByteBuffer, by: String) throws(Invalid) {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(line.readableBytesView))
        } catch let error as DecodingError {
            throw Invalid(description: "not an answer: \(Self.describe(error))")
        } catch {
            throw Invalid(description: "not an answer: \(error)")
        }
        id = wire.id
        let action = wire.action ?? ""
        switch action {
        case "pass":
            decision = StageDecision(verdict: .pass, by: "")
        case "drop":
            decision = StageDecision(verdict: .drop, by: by)
        case "replace":
            guard let payload = try Self.payload(text: wire.text, base64: wire.base64, what: "replace") else {
                throw Invalid(description: #""replace" needs "text" or "base64""#)
            }
            decision = StageDecision(verdict: .replace(payload.payload, isText: payload.isText), by: by)
        case "close":
            let code = wire.code ?? 1000
            guard let closeCode = UInt16(exactly: code), CloseCode(closeCode).isAllowedOnWire else {
                throw Invalid(description: "\"close\": \(code) is not a close code an endpoint may send")
            }
            guard (wire.reason ?? "").utf8.count <= 123 else {
                throw Invalid(description: "\"close\": the reason is longer than 123 bytes")
            }
            decision = StageDecision(verdict: .drop, by: by)
            decision.close = (CloseCode(closeCode), wire.reason ?? "")
        case "":
            throw Invalid(description: #"no "action": write "pass", "replace", "drop" or "close""#)
        default:
            throw Invalid(description: #""\#(action)" is no action: write "pass", "replace", "drop" or "close""#)
        }
        for (index, item) in (wire.inject ?? []).enumerated() {
            guard let payload = try Self.payload(text: item.text, base64: item.base64, what: "inject[\(index)]")
            else { throw Invalid(description: "inject[\(index)] needs \"text\" or \"base64\"") }
            decision.inject.append(payload)
        }
        if let reply = wire.reply {
            guard let payload = try Self.payload(text: reply.text, base64: reply.base64, what: "reply") else {
                throw Invalid(description: #""reply" needs "text" or "base64""#)
            }
            decision.reply = payload
        }
        if decision.by.isEmpty, !decision.inject.isEmpty || decision.reply != nil { decision.by = by }
    }

    private static func payload(
        text: String?, base64: String?, what: String
    ) throws(Invalid) -> (payload: ByteBuffer, isText: Bool)? {
        if let text { return (ByteBuffer(string: text), true) }
        guard let base64 else { return nil }
        guard let bytes = Base64.decode(base64) else {
            throw Invalid(description: "\(what): \"base64\" is not base64")
        }
        return (ByteBuffer(bytes: bytes), false)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private struct Payload: Decodable {
        var text: String?
        var base64: String?
    }

    private struct Wire: Decodable {
        var id: UInt64?
        var action: String?
        var text: String?
        var base64: String?
        var inject: [Payload]?
        var reply: Payload?
        var code: Int?
        var reason: String?
    }
}
