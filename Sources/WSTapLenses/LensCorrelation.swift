/// What pairs a message with others of its exchange: a request and its answers share ``id``.
public struct LensCorrelation: Sendable, Equatable {
    /// A message's part in its exchange.
    public enum Role: String, Sendable, Equatable {
        /// Asks for an answer (a JSON-RPC call, a Socket.IO event with an ack id, an MQTT SUBSCRIBE).
        case request
        /// Answers a request sent the other way.
        case response
        /// Belongs to an exchange but neither asks nor answers (a GraphQL client's `complete`).
        case event
    }

    /// The exchange's key within the connection and the lens: requests and their answers share it (a
    /// JSON-RPC id, `/chat#3` for a Socket.IO ack, `pub 5` for an MQTT packet id).
    public var id: String
    /// Its part in the exchange.
    public var role: Role
    /// Whether the exchange ends with this message: false for a stream's items (GraphQL `next`), which
    /// answer the request but leave it open.
    public var ends: Bool

    /// A message with `role` in the exchange `id`; ``ends`` defaults to true except for requests.
    public init(id: String, role: Role, ends: Bool? = nil) {
        self.id = id
        self.role = role
        self.ends = ends ?? (role != .request)
    }
}
