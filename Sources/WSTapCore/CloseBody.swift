/// The body of a close frame (RFC 6455 section 5.5.1): an optional status code and a reason.
public struct CloseBody: Hashable, Sendable {
    /// The status code, or `nil` for an empty body.
    public var code: CloseCode?
    /// The reason bytes exactly as sent (they should be UTF-8).
    public var reasonBytes: [UInt8]

    /// A body with this code and a reason given as text (sent as UTF-8); `nil` code is an empty body.
    public init(code: CloseCode?, reason: String = "") {
        self.code = code
        self.reasonBytes = Array(reason.utf8)
    }

    /// A body with this code and reason bytes as they are, valid UTF-8 or not (for crafting and for what
    /// was received).
    public init(code: CloseCode?, reasonBytes: [UInt8]) {
        self.code = code
        self.reasonBytes = reasonBytes
    }

    /// The reason as text; invalid UTF-8 is repaired with replacement characters.
    public var reason: String { String(decoding: reasonBytes, as: UTF8.self) }

    /// The body bytes: two bytes of code, big-endian, then the reason; nothing when there is no code.
    public var bytes: [UInt8] {
        guard let code else { return reasonBytes }
        return [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)] + reasonBytes
    }

    /// Parses a close payload, tolerating anything and naming what is wrong with it.
    ///
    /// A 1-byte body yields no code and the byte as the reason.
    public static func parse(_ payload: some Collection<UInt8>) -> (body: CloseBody, violations: [Violation]) {
        let bytes = Array(payload)
        if bytes.isEmpty {
            return (CloseBody(code: nil, reasonBytes: []), [])
        }
        if bytes.count == 1 {
            return (
                CloseBody(code: nil, reasonBytes: bytes),
                [Violation(.closeBodyTooShort, "1 byte: 0x\(hexByte(bytes[0]))")]
            )
        }
        let code = CloseCode(UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
        let reason = Array(bytes[2...])
        var violations: [Violation] = []
        if !code.isAllowedOnWire {
            violations.append(Violation(.closeCodeNotAllowed, "\(code.rawValue) (\(code.name))"))
        }
        var validator = UTF8Validator()
        if let bad = validator.validate(reason) {
            violations.append(Violation(.closeReasonInvalidUTF8, "at byte \(bad) of the reason"))
        } else if !validator.isAtCharacterBoundary {
            violations.append(Violation(.closeReasonInvalidUTF8, "truncated sequence at the end of the reason"))
        }
        return (CloseBody(code: code, reasonBytes: reason), violations)
    }
}

/// Two lowercase hexadecimal digits.
func hexByte(_ byte: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
