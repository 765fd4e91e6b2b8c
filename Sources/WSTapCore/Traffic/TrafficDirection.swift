/// Which way bytes travel through a proxy.
public enum TrafficDirection: String, Hashable, Sendable, CaseIterable {
    case clientToServer = "c2s"
    case serverToClient = "s2c"

    /// Who sent bytes travelling this way.
    public var sender: EndpointRole { self == .clientToServer ? .client : .server }

    /// `→` for client to server, `←` for server to client.
    public var arrow: String { self == .clientToServer ? "→" : "←" }
}
