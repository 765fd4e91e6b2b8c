/// One entry of a server's route table (the original library's `ws-service-mapper`): a regular
/// expression that the whole request path (without the query) must match, and a handler per
/// subprotocol. A handler for `nil` serves clients that asked for no subprotocol.
public struct WebSocketRoute: Sendable {
    /// A connection handler: it runs in a task of its own for as long as it likes. An error it throws is
    /// logged (``ServerOptions/handlerFailureLogger``) and closes the connection with 1011 (internal error).
    public typealias Handler = @Sendable (WebSocketConnection) async throws -> Void

    /// The path pattern, as given.
    public let pattern: String
    /// Handlers by subprotocol, in order; `nil` is "no subprotocol requested".
    public let handlers: [(subprotocol: String?, handler: Handler)]

    /// Why a route could not be made.
    public struct PatternError: Error, CustomStringConvertible {
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
