/// The WebSocket protocol a connection speaks.
public enum ProtocolVariant: String, Hashable, Sendable, CaseIterable {
    /// The standard (RFC 6455).
    case rfc6455
    /// The legacy hybi-00 draft (also known as hixie-76).
    case hybi00

    /// RFC 6455 fragments messages; hybi-00 cannot.
    public var supportsFragmentation: Bool { self == .rfc6455 }

    /// RFC 6455 carries text and binary; hybi-00 text only.
    public var supportsBinary: Bool { self == .rfc6455 }

    /// RFC 6455 close frames carry a status code and reason; hybi-00's do not.
    public var signalsStatusOnClose: Bool { self == .rfc6455 }
}
