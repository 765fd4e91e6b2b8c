import NIOCore
public import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Watches the verification of a TLS server's certificate chain, so that a refusal can say why
/// ("unable to get local issuer certificate", "self-signed certificate", "certificate has expired"):
/// swift-nio-ssl reports only `CERTIFICATE_VERIFY_FAILED`. It only looks: every verdict is BoringSSL's.
///
/// Use it on the connection's event loop: make the TLS handler with ``clientHandler(context:host:)``, and
/// hand the check to ``NetworkErrorText/describe(_:certificate:)`` when the connection fails.
public final class ServerCertificateCheck: @unchecked Sendable {
    /// The server's name as the client asked for it.
    public let host: String
    /// The first certificate of the chain that failed verification, if one did.
    private var failed: NIOSSLCertificate?

    private init(host: String) {
        self.host = host
    }

    /// A TLS client handler for a connection to `host` (its name for SNI and the certificate check, unless
    /// it is an IP address) and the check that watches it.
    public static func clientHandler(
        context: NIOSSLContext, host: String
    ) throws -> (NIOSSLClientHandler, ServerCertificateCheck) {
        let check = ServerCertificateCheck(host: host)
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let maker: any VerificationWatchingHandlerMaking.Type = VerificationWatchingHandlerMaker.self
        let handler = try maker.make(context: context, serverHostname: isAddress ? nil : host) { result, certificate in
            if result == .failed, check.failed == nil { check.failed = certificate }
            return result
        }
        return (handler, check)
    }

    /// Why the chain was refused, in OpenSSL's words, when it was.
    public var refusal: String? {
        guard let failed else { return nil }
        var now = time_t()
        time(&now)
        if failed.notValidAfter < now { return "certificate has expired" }
        if failed.notValidBefore > now { return "certificate is not yet valid" }
        if let der = try? failed.toDERBytes(), Self.isSelfIssued(der) { return "self-signed certificate" }
        return "unable to get local issuer certificate"
    }

    /// Whether a DER certificate's issuer and subject are the same name.
    public static func isSelfIssued(_ der: [UInt8]) -> Bool {
        guard let certificate = element(der, at: 0), let tbs = element(der, at: certificate.content) else {
            return false
        }
        // TBSCertificate: [0] version (optional), serial, signature algorithm, issuer, validity, subject, ...
        var fields: [Range<Int>] = []
        var offset = tbs.content
        while offset < tbs.end, fields.count < 5 {
            guard let field = element(der, at: offset) else { return false }
            if field.tag != 0xA0 { fields.append(offset..<field.end) }
            offset = field.end
        }
        guard fields.count == 5 else { return false }
        return der[fields[2]].elementsEqual(der[fields[4]])
    }

    /// One DER element at `offset`: its tag, where its content starts and where it ends (nil when the bytes
    /// are not a well-formed element).
    private static func element(_ bytes: [UInt8], at offset: Int) -> (tag: UInt8, content: Int, end: Int)? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        var length = Int(bytes[offset + 1])
        var content = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...4).contains(count), content + count <= bytes.count else { return nil }
            length = 0
            for byte in bytes[content..<content + count] { length = length << 8 | Int(byte) }
            content += count
        }
        guard length <= bytes.count - content else { return nil }
        return (bytes[offset], content, content + length)
    }
}

/// Makes a TLS client handler with a verification callback (deprecated in swift-nio-ssl for callbacks that
/// replace verification; here it only watches, which the newer callbacks cannot do), called through a protocol
/// so the deprecation stays here.
private protocol VerificationWatchingHandlerMaking {
    static func make(
        context: NIOSSLContext, serverHostname: String?,
        watch: @escaping (NIOSSLVerificationResult, NIOSSLCertificate) -> NIOSSLVerificationResult
    ) throws -> NIOSSLClientHandler
}

private enum VerificationWatchingHandlerMaker: VerificationWatchingHandlerMaking {
    @available(*, deprecated)
    static func make(
        context: NIOSSLContext, serverHostname: String?,
        watch: @escaping (NIOSSLVerificationResult, NIOSSLCertificate) -> NIOSSLVerificationResult
    ) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverHostname, verificationCallback: watch)
    }
}
