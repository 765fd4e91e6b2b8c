public import NIOCore
public import WSTapCore

/// The part of a proxy that may change traffic between the two sides: intercept, rewrite rules, scripts, an
/// agent (several at once through a ``StageChain``).
/// It sees each whole message (fragments joined, inflated when compressed) of the directions it acts on, and
/// says what the receiver gets instead: the same message, nothing, or another one. The proxy does the rest:
/// it holds the message's frames until the stage decided, encodes a new message as its receiver expects it
/// (a fresh mask key client to server, compressed again with the window kept when permessage-deflate was
/// agreed, see ``MessageRewriter``), and reports the original frames and the ones sent
/// (``FrameDisposition/replaced``, ``FrameDisposition/removed``, ``FrameDisposition/rewritten``) with a note
/// naming what decided.
///
/// Directions it does not act on keep the proxy's fast path. It is called on the connection's event loop, so
/// a decision made at once must be quick. A stage that needs time (a delay, a script, a person) decides later
/// instead, through ``decide(_:of:later:)``: meanwhile the message's frames, and everything behind them in
/// that direction, wait; later messages are still given to it, and their decisions take effect in order.
public protocol TrafficStage: Sendable {
    /// Whether it may change the messages going `direction` on the connection that `opened` describes
    /// (called once per direction when the connection opens).
    func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool

    /// What becomes of one whole message on the connection `opened` describes. `message.payload` is the whole
    /// message: messages larger than the capture limit are not given to the stage (they pass unchanged, with a
    /// note).
    func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision

    /// What becomes of one whole message, decided now (the result) or later: `nil` promises one call of
    /// `later`, from any thread, with the decision. The default decides now with ``decide(_:of:)``.
    func decide(
        _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
    ) -> StageDecision?

    /// Frame level, for a stage a person drives (intercept): whether frames going `direction` may be held as
    /// they came, each to be forwarded, dropped or replaced byte for byte later (the proxy's controller takes
    /// those decisions). Asked when the connection opens and whenever the stage changes. The default: no.
    func holdsFrames(going direction: TrafficDirection) -> Bool

    /// Whether this frame is held as it came (asked only in directions where ``holdsFrames(going:)`` is true).
    /// A message with a held frame is not given to ``decide(_:of:later:)``: the person decides on it instead.
    func holds(_ frame: TrafficEvent.FrameSeen) -> Bool
}

extension TrafficStage {
    /// Decides now.
    public func decide(
        _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
    ) -> StageDecision? {
        decide(message, of: opened)
    }

    /// Holds no frames.
    public func holdsFrames(going direction: TrafficDirection) -> Bool { false }

    /// Holds no frame.
    public func holds(_ frame: TrafficEvent.FrameSeen) -> Bool { false }
}

/// How a ``TrafficStage`` that took its time gives its decision on one message: call it once, from any thread.
/// Calls after the connection ended, or after the first, are ignored.
public struct StageReply: Sendable {
    private let deliver: @Sendable (StageDecision) -> Void

    /// A reply that hands the decision to `deliver`.
    public init(_ deliver: @escaping @Sendable (StageDecision) -> Void) {
        self.deliver = deliver
    }

    /// Gives the decision.
    public func callAsFunction(_ decision: StageDecision) {
        deliver(decision)
    }
}

/// What a ``TrafficStage`` decided for one message.
public struct StageDecision: Sendable {
    /// What the receiver gets.
    public enum Verdict: Sendable {
        /// The message as it came (its bytes unchanged).
        case pass
        /// Nothing: the message is dropped.
        case drop
        /// This message instead (text when `isText`), encoded again for the receiver.
        case replace(ByteBuffer, isText: Bool)
    }

    /// What the receiver gets.
    public var verdict: Verdict
    /// What decided, for the note and the events (`rewrite #2 /user/admin/`); empty when it passes.
    public var by: String
    /// A message the proxy sends back to the message's sender, as if from the other side (`--respond`): text
    /// when `isText`, unmasked from the server, masked from the client, never compressed.
    public var reply: (payload: ByteBuffer, isText: Bool)?
    /// Messages the proxy sends on to the message's receiver right after it (or where it would have gone):
    /// text when `isText`, masked with a fresh key toward the server, never compressed.
    public var inject: [(payload: ByteBuffer, isText: Bool)] = []
    /// Close the connection once this message's decision took effect: a close frame with `code` and `reason`
    /// to each side, which then closes.
    public var close: (code: CloseCode, reason: String)?

    /// The message goes on unchanged.
    public static let pass = StageDecision(verdict: .pass, by: "")

    /// A decision made by `by`.
    public init(verdict: Verdict, by: String, reply: (payload: ByteBuffer, isText: Bool)? = nil) {
        self.verdict = verdict
        self.by = by
        self.reply = reply
    }
}
