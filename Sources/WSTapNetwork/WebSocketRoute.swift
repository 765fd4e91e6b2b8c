/// One entry of a server's route table (the original library's `ws-service-mapper`): a regular
/// expression that the whole request path (without the query) must match, and a handler per
/// subprotocol. A handler for `nil` serves clients that asked for no subprotocol.
public struct WebSocketRoute: Sendable {
    /// A connection handler: it runs in a task of its own for as long as it likes, and the connection stays
    /// open when it returns, until either end closes it. An error it throws is logged
    /// (``ServerOptions/handlerFailureLogger``) and closes the connection with 1011 (internal error).
    ///
    /// A close from the peer is answered by the library once the handler is done with the messages that
    /// came before it: at once when none is waiting to be taken and none is being handled (taken by the last
    /// `receive()` or `nextEvent()`, with no call for the next event since), so a handler that never reads
    /// delays nothing; otherwise when the handler asks for the next event, or after a grace period of at most
    /// a second. A protocol violation from the peer fails the connection by the same rule. So a handler
    /// that answers each message and then reads the next gets its answers out before the close.
    public typealias Handler = @Sendable (WebSocketConnection) async throws -> Void

    /// The path pattern, as given.
    public let pattern: String
    /// Handlers by subprotocol, in order; `nil` is "no subprotocol requested".
    public let handlers: [(subprotocol: String?, handler: Handler)]

    /// Why a route could not be made.
    public struct PatternError: Error, CustomStringConvertible {
        /// The pattern and the regular expression parser's complaint.
        public var description: String
    }

    /// - Throws: ``PatternError`` when `pattern` is not a valid regular expression.
    public init(path pattern: String, handlers: [(subprotocol: String?, handler: Handler)]) throws(PatternError) {
        do {
            _ = try Regex(pattern)
        } catch {
            throw PatternError(description: "route path '\(pattern)' is not a valid regular expression: \(error)")
        }
        self.pattern = pattern
        self.handlers = handlers
    }

    /// Whether the whole path matches the pattern.
    func matches(path: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: path)) != nil
    }

    /// The handler for the first of the client's subprotocols this route serves (in the client's
    /// order), or the `nil` handler when the client asked for none.
    func choose(for requested: [String]) -> (subprotocol: String?, handler: Handler)? {
        if requested.isEmpty {
            return handlers.first { $0.subprotocol == nil }
        }
        for wanted in requested {
            if let match = handlers.first(where: { $0.subprotocol == wanted }) { return match }
        }
        return nil
    }
}
