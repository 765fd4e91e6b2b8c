/// The lenses wstap has, in the order they are asked to claim a connection (the plain JSON lens last: it
/// reads any JSON text). A new lens is one file and one line here.
public enum LensRegistry {
    /// Every lens.
    public static let all: [any Lens] = [
        SocketIOLens(),
        MQTTLens(),
        GraphQLWSLens(),
        STOMPLens(),
        SignalRLens(),
        PhoenixLens(),
        ActionCableLens(),
        JSONRPCLens(),
        MessagePackLens(),
        CBORLens(),
        ProtobufLens(),
        JSONLens(),
    ]

    /// The lens called `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> (any Lens)? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The names of every lens, for help texts and errors.
    public static var names: [String] { all.map(\.name) }

    /// The lens that claims `connection` by its subprotocol, else by its URL, or nil (then its first
    /// messages decide: ``claiming(firstMessage:)``).
    public static func claiming(_ connection: LensConnection) -> (any Lens)? {
        if let subprotocol = connection.subprotocol,
            let lens = all.first(where: { $0.claims(subprotocol: subprotocol) })
        {
            return lens
        }
        return all.first { $0.claims(url: connection) }
    }

    /// The lens that claims a connection by `message`, one of its first, or nil.
    public static func claiming(firstMessage message: LensMessage) -> (any Lens)? {
        all.first { $0.claims(firstMessage: message) }
    }
}
