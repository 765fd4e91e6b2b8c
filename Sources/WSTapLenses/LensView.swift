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
    /// What statistics count it under: the method, event, topic or operation it is about (`add`, `PUBLISH
    /// sensors/t1`); nil for an answer, which counts under its request's.
    public var method: String?
    /// Whether it reports a failure: a JSON-RPC error, a refused connect, an MQTT reason code of 0x80 or
    /// more, a GraphQL error.
    public var isError: Bool

    /// A message read: its summary, fields and, where the protocol has one, its exchange; what statistics
    /// count it under, and whether it reports a failure.
    public init(
        summary: String, fields: [LensField], correlation: LensCorrelation? = nil, method: String? = nil,
        isError: Bool = false
    ) {
        self.summary = summary
        self.fields = .object(fields)
        self.correlation = correlation
        problem = nil
        self.method = method
        self.isError = isError
    }

    /// A message the lens cannot read, and why.
    public static func doesNotParse(_ why: String) -> LensView {
        var view = LensView(summary: "does not parse: \(why)", fields: [])
        view.problem = why
        return view
    }
}
