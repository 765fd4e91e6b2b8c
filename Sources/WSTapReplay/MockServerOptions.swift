/// How ``MockServer`` plays a recorded server.
public struct MockServerOptions: Sendable {
    /// How a client's messages are held against the recorded ones.
    public enum Matching: String, Sendable, CaseIterable {
        /// Only their number matters: after the n-th client message come the server frames that followed
        /// the n-th recorded one.
        case order
        /// Also each message must equal the recorded one (type and bytes); differences are reported.
        case exact
    }

    public var matching: Matching
    /// Serve one connection, then stop.
    public var servesOnce: Bool

    public init(matching: Matching = .order, servesOnce: Bool = false) {
        self.matching = matching
        self.servesOnce = servesOnce
    }
}
