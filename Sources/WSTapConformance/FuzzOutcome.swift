public import WSTapCore

/// What came back for what the fuzzer sent on one connection: the answer to the probe ping that followed the
/// case, the peer's close frame, the end of TCP, or nothing; and every rule the peer's frames broke.
public struct FuzzOutcome: Sendable {
    /// How the exchange ended.
    public enum Ending: Sendable, Equatable {
        /// The peer answered the probe ping (it took the case and went on).
        case probeAnswered
        /// The peer sent a close frame.
        case closeFrame
        /// The peer ended TCP without a close frame.
        case endOfStream
        /// The connection was reset or failed (the error in words), without a close frame.
        case reset(String)
        /// Nothing of the above within the time allowed.
        case timedOut
    }

    /// How it ended.
    public var ending: Ending = .timedOut
    /// The peer's close frame, if one came.
    public var close: CloseBody?
    /// What is wrong with that close frame's body (1 byte long, a reason that is not UTF-8).
    public var closeViolations: [String] = []
    /// Rules the peer's frames broke (masking, reserved bits and opcodes, control frames, frames after its
    /// close): the rule's name (a violation kind) and what happened.
    public var problems: [(rule: String, text: String)] = []
    /// How long the probe's pong took after the probe was written.
    public var probeLatency: Duration?
    /// Whether the bytes sent (the case and the probe) end on a frame boundary. When they do not (a declared
    /// length longer than the payload), the probe became part of a frame and a silent peer is right to wait.
    public var endsOnFrameBoundary = true
    /// Frames the peer sent, all kinds (for the summary).
    public var framesReceived = 0

    /// An outcome that has not ended yet.
    public init() {}

    /// The exchange in words: "pong after 2 ms", "close 1002", "TCP ended, no close frame".
    public var description: String {
        var words: String
        switch ending {
        case .probeAnswered:
            words = "answered the probe ping"
            if let latency = probeLatency { words += " after \(Self.milliseconds(latency)) ms" }
        case .closeFrame:
            words = close.map { body in body.code.map { "close \($0.rawValue)" } ?? "an empty close frame" } ?? "close"
        case .endOfStream: words = "TCP ended with no close frame"
        case .reset(let error): words = "the connection failed with no close frame (\(error))"
        case .timedOut: words = "no answer"
        }
        let extra = closeViolations + problems.map(\.text)
        return extra.isEmpty ? words : words + "; " + extra.joined(separator: "; ")
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
