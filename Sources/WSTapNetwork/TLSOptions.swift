public import NIOSSL

/// TLS for a client (`wss://`): whom to trust.
public struct ClientTLSOptions: Hashable, Sendable {
    /// A PEM file of CA certificates trusted in addition to the system's trust store.
    public var extraCAFile: String?
    /// Skip certificate verification entirely. Insecure: for testing only.
    public var insecureSkipVerification: Bool

    /// The system's trust store, plus `extraCAFile` when given; verification skipped only when asked.
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
    /// The PEM file with the server's certificate first, then any intermediate certificates.
    public var certificateChainFile: String
    /// The PEM file with the certificate's private key.
    public var privateKeyFile: String

    /// A certificate chain and key to load from these PEM files (loaded when the server starts).
    public init(certificateChainFile: String, privateKeyFile: String) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }

    /// The swift-nio-ssl server context: the chain and key loaded from their files.
    ///
    /// - Throws: ``HandshakeFailure`` naming both files and why they could not be loaded.
    public func makeContext() throws(HandshakeFailure) -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateChainFile).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
            return try NIOSSLContext(
                configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        } catch {
            throw HandshakeFailure(
                "cannot load the TLS certificate '\(certificateChainFile)' or key '\(privateKeyFile)': \(error)")
        }
    }
}
