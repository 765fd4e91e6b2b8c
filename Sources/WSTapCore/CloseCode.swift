/// A close status code (RFC 6455 section 7.4). Any 16-bit value is representable; the registered
/// ones have names.
public struct CloseCode: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public init(_ value: UInt16) {
        self.rawValue = value
    }

    public static let normalClosure = CloseCode(1000)
    public static let goingAway = CloseCode(1001)
    public static let protocolError = CloseCode(1002)
    public static let unsupportedData = CloseCode(1003)
    public static let reserved1004 = CloseCode(1004)
    public static let noStatusReceived = CloseCode(1005)
    public static let abnormalClosure = CloseCode(1006)
    public static let invalidPayloadData = CloseCode(1007)
    public static let policyViolation = CloseCode(1008)
    public static let messageTooBig = CloseCode(1009)
    public static let mandatoryExtension = CloseCode(1010)
    public static let internalError = CloseCode(1011)
    public static let serviceRestart = CloseCode(1012)
    public static let tryAgainLater = CloseCode(1013)
    public static let badGateway = CloseCode(1014)
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
