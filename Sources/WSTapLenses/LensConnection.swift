/// What a lens may recognise a connection by before any message: the agreed subprotocol and the URL.
public struct LensConnection: Sendable, Equatable {
    /// The subprotocol the server chose, if any (`mqtt`, `graphql-transport-ws`).
    public var subprotocol: String?
    /// The request target's path (`/socket.io/`).
    public var path: String
    /// The query's parameters in order, names and values as written (not percent-decoded).
    public var query: [(name: String, value: String)]

    /// A connection with a subprotocol and a request target (`/socket.io/?EIO=4&transport=websocket`).
    public init(subprotocol: String?, target: String) {
        self.subprotocol = subprotocol
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map(String.init) ?? ""
        query = (parts.count > 1 ? parts[1] : "").split(separator: "&").map { pair in
            let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(nameAndValue[0]), nameAndValue.count > 1 ? String(nameAndValue[1]) : "")
        }
    }

    /// The value of the first query parameter `name`, or nil.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Whether two connections have the same subprotocol, path and query.
    public static func == (left: LensConnection, right: LensConnection) -> Bool {
        left.subprotocol == right.subprotocol && left.path == right.path
            && left.query.map(\.name) == right.query.map(\.name) && left.query.map(\.value) == right.query.map(\.value)
    }
}
