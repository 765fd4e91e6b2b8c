/// How the inflated payload of a permessage-deflate frame was cut by the inspector that shows it: it
/// keeps the first bytes of each message (a display limit, like the capture limit; not a fault in the
/// message).
public struct InflationCut: Hashable, Sendable {
    /// The most inflated bytes kept of one message (its first bytes).
    public var limit: Int
    /// What the frame's payload inflates to in all, when inflating went on to its end; `nil` when it
    /// stopped (past a larger limit that bounds the work).
    public var inflatedLength: Int?

    /// A cut at `limit` kept bytes of a message, of a payload that inflates to `inflatedLength` (if known).
    public init(limit: Int, inflatedLength: Int?) {
        self.limit = limit
        self.inflatedLength = inflatedLength
    }
}
