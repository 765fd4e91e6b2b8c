import Crypto
import NIOConcurrencyHelpers
import NIOSSL
import SwiftASN1
import X509

/// The server side of intercepted TLS: for each host a certificate signed by the local CA and a TLS context
/// around it, made on first use and kept in memory. All hosts share one key pair, made per run.
final class InterceptionCertificates: Sendable {
    /// More hosts than this and the cache starts again (memory stays bounded however many hosts are visited).
    static let cacheLimit = 4096

    private let authority: CertificateAuthority
    private let leafKey: P256.Signing.PrivateKey
    private let sslKey: NIOSSLPrivateKey
    private let contexts = NIOLockedValueBox<[String: NIOSSLContext]>([:])

    init(authority: CertificateAuthority) throws {
        self.authority = authority
        leafKey = P256.Signing.PrivateKey()
        sslKey = try NIOSSLPrivateKey(bytes: Array(leafKey.pemRepresentation.utf8), format: .pem)
    }

    /// The TLS server context presenting a certificate for `host` (a name or an IP address).
    func context(for host: String) throws -> NIOSSLContext {
        let name = host.lowercased()
        return try contexts.withLockedValue { cache in
            if let context = cache[name] { return context }
            let certificate = try authority.issueServerCertificate(
                for: name, publicKey: Certificate.PublicKey(leafKey.publicKey))
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            let sslCertificate = try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(sslCertificate)], privateKey: .privateKey(sslKey))
            let context = try NIOSSLContext(configuration: configuration)
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache[name] = context
            return context
        }
    }
}
