public import WSTapCore

/// What a conformance case expects of the endpoint under test.
public enum Expectation: Sendable, CustomStringConvertible {
    /// These replies (echoes in order, pongs in order); the connection stays open and then closes
    /// cleanly when the raw peer starts the closing handshake.
    case replies([Reply])
    /// These replies, then a close frame echoing this code (`nil`: an empty close body) in answer to
    /// the close frame in the case; then the server ends TCP.
    case closeReply(CloseCode?, after: [Reply])
    /// These replies, then the endpoint fails the connection: a close frame with this code, the end of
    /// TCP, and nothing answered afterwards. Every message before the violation is delivered and echoed
    /// before the close frame, even when it arrived in the same read as the violation (Autobahn's strict
    /// behaviour: "fail fast, but not before what came first"; fewer echoes are non-strict).
    case failure(CloseCode, after: [Reply])

    /// The replies expected before any close.
    public var replies: [Reply] {
        switch self {
        case .replies(let replies), .closeReply(_, let replies), .failure(_, let replies): return replies
        }
    }

    /// The expectation in words, for reports.
    public var description: String {
        let replies = Self.describe(self.replies)
        switch self {
        case .replies:
            return "\(replies); the connection stays open, then our close 1000 is answered with 1000"
        case .closeReply(let code, _):
            return "\(replies); then a close \(code.map { "\($0.rawValue)" } ?? "with no code") answering ours"
        case .failure(let code, _):
            return "\(replies); then the connection failed with close \(code.rawValue), and nothing answered after it"
        }
    }

    /// "echo text "a", pong "b"", or "no reply".
    static func describe(_ replies: [Reply]) -> String {
        guard !replies.isEmpty else { return "no reply" }
        let shown = replies.prefix(6).map(\.description).joined(separator: ", ")
        let more = replies.count > 6 ? " and \(replies.count - 6) more" : ""
        return "\(replies.count == 1 ? "reply" : "replies") \(shown)\(more)"
    }
}
