public import NIOSSL

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

    /// The swift-nio-ssl context for these settings: the system's trust store, plus the extra CA file if
    /// any, or no verification at all when asked.
    public func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let extraCAFile {
            configuration.additionalTrustRoots = [.file(extraCAFile)]
        }
        if insecureSkipVerification {
            configuration.certificateVerification = .none
        }
        return try NIOSSLContext(configuration: configuration)
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
