public import WSTapCore

/// What a server's per-connection hook returns (the original library's `#:conn-headers`): headers to add
/// to the 101 response, and a value handed to the connection (``WebSocketConnection/state``).
public struct ConnectionSetup: Sendable {
    /// Headers added to this connection's 101 response (after ``ServerOptions/extraHeaders``).
    public var extraHeaders: HTTPHeaderFields
    /// Any value the handler should have for this connection, read back as ``WebSocketConnection/state``
    /// (cast it to its type); `nil` for none.
    public var state: (any Sendable)?

    /// A setup with these headers and this state (none of either by default).
    public init(extraHeaders: HTTPHeaderFields = [:], state: (any Sendable)? = nil) {
        self.extraHeaders = extraHeaders
        self.state = state
    }
}

/// How a server decided to accept one request: the subprotocol, extra headers, handler and state.
struct AcceptDecision: Sendable {
    var subprotocol: String?
    var extraHeaders: HTTPHeaderFields
    var handler: WebSocketRoute.Handler
    var state: (any Sendable)?
}

/// Decides, for a request that passed the handshake checks, whether and how to accept it.
struct ServerDispatch: Sendable {
    /// Given the path without query, the requested subprotocols and the request; `nil` rejects with 400.
    var decide: @Sendable (_ path: String, _ subprotocols: [String], _ request: HTTPRequestHead) -> AcceptDecision?
}
