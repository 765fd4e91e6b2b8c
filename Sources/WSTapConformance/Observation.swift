public import WSTapCore

/// What the raw peer read from the endpoint under test during one case.
public struct Observation: Sendable, CustomStringConvertible {
    /// Whole messages (fragments joined) and pongs, in the order they arrived.
    public var replies: [Reply] = []
    /// The close frame's body, if one came (`CloseBody(code: nil)` for an empty one).
    public var close: CloseBody?
    /// How reading ended.
    public var ending: Ending = .timedOut
    /// Rules the endpoint's frames broke (masking, framing, control frames), and frames after its close.
    public var problems: [String] = []
    /// Messages that came in more than one frame (allowed; our own endpoints never do it).
    public var fragmentedMessages = 0
    /// Pings the endpoint sent (answered with pongs).
    public var pings = 0
    /// For a case with a cut: whether the endpoint failed before the rest was sent.
    public var failedBeforeTheRest: Bool?

    /// How reading stopped.
    public enum Ending: Sendable, Equatable {
        /// The endpoint ended TCP.
        case endOfStream
        /// Nothing more came in the time allowed.
        case timedOut
        /// Reading stopped at the close frame; then the raw peer ended TCP (a raw server after the closing
        /// handshake, or a raw client that does not wait for a failed connection's end).
        case stoppedAtClose
        /// Reading stopped while the connection was open (the replies asked for came).
        case open
    }

    /// The data messages among the replies.
    public var messages: [Reply] { replies.filter(\.isMessage) }
    /// The pongs among the replies.
    public var pongs: [Reply] { replies.filter { !$0.isMessage } }

    /// What came back, in words, for reports.
    public var description: String {
        var parts = [Expectation.describe(replies)]
        if let close {
            let code = close.code.map { "\($0.rawValue)" } ?? "with no code"
            parts.append("close \(code)" + (close.reasonBytes.isEmpty ? "" : " \"\(close.reason)\""))
        } else {
            parts.append("no close frame")
        }
        switch ending {
        case .endOfStream: parts.append("TCP ended by the endpoint")
        case .timedOut: parts.append("then nothing")
        case .stoppedAtClose: parts.append("TCP ended by wstap")
        case .open: parts.append("connection open")
        }
        if fragmentedMessages > 0 { parts.append("\(fragmentedMessages) fragmented") }
        if pings > 0 { parts.append("\(pings) pings from the endpoint") }
        parts += problems
        return parts.joined(separator: "; ")
    }
}
