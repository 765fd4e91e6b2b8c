/// What a lens reads in one message (or one packet of a message that holds several): a summary line, the
/// decoded fields, what pairs it with other messages, or why it does not parse.
public struct LensView: Sendable, Equatable {
    /// One line: `EVENT chat ["hi"] ack=3`, `PUBLISH q1 sensors/t1 (12 B)`.
    public var summary: String
    /// The decoded fields, as a tree (an object).
    public var fields: LensValue
    /// The exchange it belongs to, where the protocol pairs messages.
    public var correlation: LensCorrelation?
    /// Why the message does not parse, when it does not (``summary`` then says so too).
    public var problem: String?

    /// A message read: its summary, fields and, where the protocol has one, its exchange.
    public init(summary: String, fields: [LensField], correlation: LensCorrelation? = nil) {
        self.summary = summary
        self.fields = .object(fields)
        self.correlation = correlation
        problem = nil
    }

    /// A message the lens cannot read, and why.
    public static func doesNotParse(_ why: String) -> LensView {
        var view = LensView(summary: "does not parse: \(why)", fields: [])
        view.problem = why
        return view
    }
}
