/// TLS for a client (`wss://`): whom to trust.
public struct ClientTLSOptions: Hashable, Sendable {
    /// A PEM file of CA certificates trusted in addition to the system's trust store.
    public var extraCAFile: String?
    /// Skip certificate verification entirely. Insecure: for testing only.
    public var insecureSkipVerification: Bool

    public init(extraCAFile: String? = nil, insecureSkipVerification: Bool = false) {
        self.extraCAFile = extraCAFile
        self.insecureSkipVerification = insecureSkipVerification
    }
}

/// TLS for a server: its certificate chain and key, as PEM files.
public struct ServerTLSOptions: Hashable, Sendable {
    public var certificateChainFile: String
    public var privateKeyFile: String

    public init(certificateChainFile: String, privateKeyFile: String) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }
}
