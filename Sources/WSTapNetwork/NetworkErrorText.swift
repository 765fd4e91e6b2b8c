import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Network errors (SwiftNIO's, swift-nio-ssl's, BoringSSL's) said the way a person reads them: "connection
/// refused", "timed out", "no such host", "the server does not speak TLS", "certificate for HOST not
/// trusted: unable to get local issuer certificate", instead of the raw error text (`(errno: 111))`,
/// `error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED`). Every place that shows a
/// connection failing (the proxy's 502 answers and error events, `wstap connect`, replay) goes through it.
public enum NetworkErrorText {
    /// What went wrong, in a few words. `certificate`, when the error came from a TLS connection whose
    /// server certificate was checked by it, says why that certificate was refused.
    public static func describe(_ error: any Error, certificate: ServerCertificateCheck? = nil) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let dns = error.dnsAError ?? error.dnsAAAAError, error.connectionErrors.isEmpty {
                return describe(dns)
            }
            guard let first = error.connectionErrors.first else { return "cannot connect to \(error.host)" }
            return describe(first.error)
        case let error as IOError:
            return describe(errno: error.errnoCode)
        case let error as SocketAddressError.UnknownHost:
            return "no such host"
        case let error as ChannelError:
            return describe(error)
        case let error as NIOSSLError:
            return describe(error, certificate: certificate)
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            let host = certificate.map { " \($0.host)" } ?? ""
            return "the server's certificate is not for\(host.isEmpty ? " this host" : host)"
        case is NIOSSLCloseTimedOutError:
            return "the TLS close timed out"
        default:
            return "\(error)"
        }
    }

    /// An `errno` value from a socket call.
    public static func describe(errno code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset by the peer"
        case ETIMEDOUT: return "timed out"
        case EHOSTUNREACH: return "no route to host"
        case ENETUNREACH: return "network unreachable"
        case EPIPE: return "the peer closed the connection"
        case ECONNABORTED: return "connection aborted"
        case EADDRINUSE: return "address already in use"
        case EADDRNOTAVAIL: return "address not available"
        case EACCES, EPERM: return "permission denied"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    private static func describe(_ error: ChannelError) -> String {
        switch error {
        case .connectTimeout(let amount):
            let seconds = amount.nanoseconds / 1_000_000_000
            return seconds > 0 ? "timed out (no answer in \(seconds) s)" : "timed out"
        case .ioOnClosedChannel, .alreadyClosed: return "the connection was already closed"
        case .eof, .inputClosed: return "the peer closed the connection"
        case .outputClosed: return "the connection was closed for writing"
        case .writeHostUnreachable: return "no route to host"
        default: return "\(error)"
        }
    }

    private static func describe(_ error: NIOSSLError, certificate: ServerCertificateCheck?) -> String {
        switch error {
        case .handshakeFailed(let failure):
            return describeHandshake(failure, certificate: certificate)
        case .uncleanShutdown:
            return "the peer closed the connection without ending TLS (no close_notify)"
        case .shutdownFailed:
            return "ending TLS failed"
        default:
            return "TLS failed: \(error)"
        }
    }

    private static func describeHandshake(_ failure: BoringSSLError, certificate: ServerCertificateCheck?) -> String {
        let reasons: [String]
        switch failure {
        case .sslError(let stack), .unknownError(let stack):
            reasons = stack.map { reasonName(of: $0) }
        case .syscallError, .zeroReturn:
            return "the connection closed during the TLS handshake"
        default:
            reasons = ["\(failure)"]
        }
        if reasons.contains("EOF during handshake") {
            return "the connection closed during the TLS handshake"
        }
        if reasons.contains("CERTIFICATE_VERIFY_FAILED") {
            let host = certificate.map { " for \($0.host)" } ?? ""
            let why = certificate?.refusal.map { ": " + $0 } ?? ""
            return "certificate\(host) not trusted\(why)"
        }
        if reasons.contains(where: ["WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "PACKET_LENGTH_TOO_LONG"].contains) {
            return "the server does not speak TLS"
        }
        if reasons.contains(where: ["HTTP_REQUEST", "HTTPS_PROXY_REQUEST"].contains) {
            return "the peer sent plain HTTP, not TLS"
        }
        if let alert = reasons.first(where: { $0.contains("ALERT_") }) {
            return "the peer ended the TLS handshake with the alert \(alertName(alert))"
        }
        if reasons.contains(where: ["NO_SHARED_CIPHER", "UNSUPPORTED_PROTOCOL"].contains) {
            return "no TLS version or cipher in common"
        }
        return "TLS handshake failed (\(reasons.joined(separator: ", ")))"
    }

    /// `Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /path:1`
    /// → `CERTIFICATE_VERIFY_FAILED`; a synthetic one (`Error:  EOF during handshake`) → its text.
    private static func reasonName(of error: BoringSSLInternalError) -> String {
        let parts = error.description.split(separator: ":", omittingEmptySubsequences: false)
        if let library = parts.firstIndex(where: { $0.hasPrefix("OPENSSL_") }), library + 1 < parts.count {
            return String(parts[library + 1].split(separator: " ").first ?? "")
        }
        return parts.dropFirst().joined(separator: ":").drop { $0 == " " }.description
    }

    /// `TLSV1_ALERT_UNKNOWN_CA` → `"unknown CA"`.
    private static func alertName(_ reason: String) -> String {
        let words = reason.split(separator: "_")
        guard let alert = words.firstIndex(of: "ALERT") else { return reason }
        let name = words[(alert + 1)...].map { $0 == "CA" ? String($0) : $0.lowercased() }
        return "\"" + name.joined(separator: " ") + "\""
    }
}
