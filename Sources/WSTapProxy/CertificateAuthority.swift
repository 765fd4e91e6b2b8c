import Crypto
public import Foundation
import SwiftASN1
public import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The local certificate authority of the forward proxy: it signs a certificate for every host whose TLS the
/// proxy intercepts. Made on first use (an ECDSA P-256 key and a self-signed certificate valid for ten
/// years) and kept in a folder (`~/.wstap/ca` by default); the user trusts its certificate once
/// (`wstap ca export PATH`). The private key file is readable by its owner only (mode 0600).
public final class CertificateAuthority: Sendable {
    /// The certificate's file name in the folder (PEM).
    public static let certificateFileName = "wstap-ca.pem"
    /// The private key's file name in the folder (PEM, PKCS#8, mode 0600).
    public static let privateKeyFileName = "wstap-ca-key.pem"

    /// The folder holding the certificate and its key.
    public let directory: String
    /// The CA certificate as PEM, for the user to trust.
    public let certificatePEM: String
    /// Whether this call made the CA (there was none in the folder).
    public let wasCreated: Bool
    let certificate: Certificate
    private let privateKey: Certificate.PrivateKey

    /// The certificate's path.
    public var certificatePath: String { directory + "/" + Self.certificateFileName }
    /// The private key's path.
    public var privateKeyPath: String { directory + "/" + Self.privateKeyFileName }

    private init(
        directory: String, certificate: Certificate, privateKey: Certificate.PrivateKey, wasCreated: Bool
    ) throws {
        self.directory = directory
        self.certificate = certificate
        self.privateKey = privateKey
        self.wasCreated = wasCreated
        self.certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
    }

    /// The folder used when none is given: `$WSTAP_HOME/ca` when `WSTAP_HOME` is set, else `~/.wstap/ca`.
    public static func defaultDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let home = environment["WSTAP_HOME"], !home.isEmpty {
            return home + "/ca"
        }
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return userHome + "/.wstap/ca"
    }

    /// Loads the CA from `directory`, or makes one there (folder mode 0700, key mode 0600) when it has none.
    public static func loadOrCreate(directory: String) throws(CertificateAuthorityError) -> CertificateAuthority {
        let files = FileManager.default
        let certificatePath = directory + "/" + certificateFileName
        let keyPath = directory + "/" + privateKeyFileName
        if files.fileExists(atPath: keyPath) || files.fileExists(atPath: certificatePath) {
            return try load(directory: directory, certificatePath: certificatePath, keyPath: keyPath)
        }
        do {
            try files.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CertificateAuthorityError("cannot create the CA folder '\(directory)': \(error.localizedDescription)")
        }
        let key = P256.Signing.PrivateKey()
        let authority: CertificateAuthority
        do {
            let name = try DistinguishedName {
                OrganizationName("wstap")
                CommonName("wstap interception CA")
            }
            let publicKey = Certificate.PublicKey(key.publicKey)
            let now = Date()
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-24 * 3600),
                notValidAfter: now.addingTimeInterval(10 * 365 * 24 * 3600), issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: publicKey)
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
            authority = try CertificateAuthority(
                directory: directory, certificate: certificate, privateKey: Certificate.PrivateKey(key),
                wasCreated: true)
        } catch {
            throw CertificateAuthorityError("cannot make a CA certificate: \(error)")
        }
        // The key first, created with mode 0600 (never readable by others, not even for a moment).
        try writeNewFile(keyPath, contents: key.pemRepresentation + "\n", mode: 0o600)
        try writeNewFile(certificatePath, contents: authority.certificatePEM, mode: 0o644)
        return authority
    }

    private static func load(
        directory: String, certificatePath: String, keyPath: String
    ) throws(CertificateAuthorityError) -> CertificateAuthority {
        let certificateText = try readText(certificatePath, what: "CA certificate")
        let keyText = try readText(keyPath, what: "CA private key")
        let certificate: Certificate
        let key: Certificate.PrivateKey
        do {
            certificate = try Certificate(pemEncoded: certificateText)
        } catch {
            throw CertificateAuthorityError("'\(certificatePath)' is not a PEM certificate: \(error)")
        }
        do {
            key = try Certificate.PrivateKey(pemEncoded: keyText)
        } catch {
            throw CertificateAuthorityError("'\(keyPath)' is not a PEM private key: \(error)")
        }
        guard key.publicKey == certificate.publicKey else {
            throw CertificateAuthorityError(
                "'\(keyPath)' is not the key of '\(certificatePath)'; remove the folder '\(directory)' to make a new CA"
            )
        }
        do {
            return try CertificateAuthority(
                directory: directory, certificate: certificate, privateKey: key, wasCreated: false)
        } catch {
            throw CertificateAuthorityError("cannot encode '\(certificatePath)' as PEM: \(error)")
        }
    }

    /// A certificate for `host` (a DNS name or an IP address, put in the subject alternative name), signed by
    /// this CA, for `publicKey`; valid from a day ago for a year (browsers refuse longer-lived ones).
    public func issueServerCertificate(
        for host: String, publicKey: Certificate.PublicKey, now: Date = Date()
    ) throws(CertificateAuthorityError) -> Certificate {
        do {
            let alternativeName: GeneralName
            if let address = Self.ipAddressBytes(host) {
                alternativeName = .ipAddress(ASN1OctetString(contentBytes: address[...]))
            } else {
                alternativeName = .dnsName(host)
            }
            let authorityKeyIdentifier = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
            let subject = try DistinguishedName {
                OrganizationName("wstap")
                CommonName(String(host.prefix(64)))
            }
            return try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-24 * 3600),
                notValidAfter: now.addingTimeInterval(365 * 24 * 3600),
                issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames([alternativeName])
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
                    SubjectKeyIdentifier(hash: publicKey)
                },
                issuerPrivateKey: privateKey)
        } catch {
            throw CertificateAuthorityError("cannot sign a certificate for '\(host)': \(error)")
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address, or nil for a host name.
    static func ipAddressBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func readText(_ path: String, what: String) throws(CertificateAuthorityError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CertificateAuthorityError("cannot read the \(what) '\(path)': \(error.localizedDescription)")
        }
    }

    /// Creates `path` (it must not exist) with `mode` from the start, and writes `contents`.
    private static func writeNewFile(_ path: String, contents: String, mode: mode_t) throws(CertificateAuthorityError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else {
            throw CertificateAuthorityError("cannot create '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                throw CertificateAuthorityError("cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
            written += count
        }
        // open() applies the umask; make the mode exactly what was asked.
        fchmod(descriptor, mode)
    }
}
