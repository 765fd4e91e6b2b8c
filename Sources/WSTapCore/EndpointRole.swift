/// Which side of a connection sent (or will send) some frames. Clients mask, servers do not.
public enum EndpointRole: String, Hashable, Sendable, CaseIterable {
    case client
    case server
}
