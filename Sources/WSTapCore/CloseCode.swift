/// A close status code (RFC 6455 section 7.4). Any 16-bit value is representable; the registered
/// ones have names.
public struct CloseCode: RawRepresentable, Hashable, Sendable {
    /// The code's 16-bit value, as sent in the first two bytes of a close frame's payload.
    public let rawValue: UInt16

    /// A code with this value (any value: those an endpoint may not send are representable, to report them).
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// A code with this value, as in `CloseCode(4000)`; same as ``init(rawValue:)``.
    public init(_ value: UInt16) {
        self.rawValue = value
    }

    /// 1000: the purpose of the connection is fulfilled.
    public static let normalClosure = CloseCode(1000)
    /// 1001: the endpoint is going away (a server shutting down, a page left, an idle timeout).
    public static let goingAway = CloseCode(1001)
    /// 1002: the peer broke the protocol.
    public static let protocolError = CloseCode(1002)
    /// 1003: the endpoint cannot accept this type of data (say, binary where only text is expected).
    public static let unsupportedData = CloseCode(1003)
    /// 1004: reserved by RFC 6455 with no meaning; not to be sent.
    public static let reserved1004 = CloseCode(1004)
    /// 1005: reports that a close frame carried no status code; never sent on the wire.
    public static let noStatusReceived = CloseCode(1005)
    /// 1006: reports that the connection ended without a close frame; never sent on the wire.
    public static let abnormalClosure = CloseCode(1006)
    /// 1007: a message's data did not match its type (invalid UTF-8 in text).
    public static let invalidPayloadData = CloseCode(1007)
    /// 1008: a message broke the endpoint's policy (when no more specific code fits).
    public static let policyViolation = CloseCode(1008)
    /// 1009: a message was too big to process.
    public static let messageTooBig = CloseCode(1009)
    /// 1010: the client needed an extension the server did not agree to.
    public static let mandatoryExtension = CloseCode(1010)
    /// 1011: the server hit an unexpected condition (an application error).
    public static let internalError = CloseCode(1011)
    /// 1012: the service is restarting (IANA registry).
    public static let serviceRestart = CloseCode(1012)
    /// 1013: try again later, the server is overloaded (IANA registry).
    public static let tryAgainLater = CloseCode(1013)
    /// 1014: a gateway or proxy got an invalid answer from upstream (IANA registry).
    public static let badGateway = CloseCode(1014)
    /// 1015: reports that the TLS handshake failed; never sent on the wire.
    public static let tlsHandshakeFailure = CloseCode(1015)

    /// The registered name (`normal-closure`, ...), `private` for 4000-4999, `registered` for
    /// 3000-3999, `unassigned` or `invalid` otherwise.
    public var name: String {
        switch rawValue {
        case 1000: return "normal-closure"
        case 1001: return "going-away"
        case 1002: return "protocol-error"
        case 1003: return "unsupported-data"
        case 1004: return "reserved"
        case 1005: return "no-status-received"
        case 1006: return "abnormal-closure"
        case 1007: return "invalid-payload-data"
        case 1008: return "policy-violation"
        case 1009: return "message-too-big"
        case 1010: return "mandatory-extension"
        case 1011: return "internal-error"
        case 1012: return "service-restart"
        case 1013: return "try-again-later"
        case 1014: return "bad-gateway"
        case 1015: return "tls-handshake-failure"
        case 1016...2999: return "unassigned"
        case 3000...3999: return "registered"
        case 4000...4999: return "private"
        default: return "invalid"
        }
    }

    /// Whether an endpoint may send this code in a close frame (RFC 6455 7.4.1, 7.4.2 and the IANA
    /// registry): 1000-1003, 1007-1014 and 3000-4999. 1005, 1006 and 1015 are only for reporting.
    public var isAllowedOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }
}

extension CloseCode: ExpressibleByIntegerLiteral {
    /// A code written as a number, as in `connection.close(code: 4000, reason: "done")`; a literal outside
    /// 0...65535 does not compile.
    public init(integerLiteral value: UInt16) {
        self.init(value)
    }
}

extension CloseCode: CustomStringConvertible {
    /// `1000 normal-closure`.
    public var description: String { "\(rawValue) \(name)" }
}
