/// Reads one `Sec-WebSocket-Extensions` field value into offers, remembering where it is for error messages.
struct ExtensionOfferParser {
    private let value: String
    private let occurrence: Int
    private let bytes: [UInt8]
    private var position = 0

    init(value: String, occurrence: Int) {
        self.value = value
        self.occurrence = occurrence
        self.bytes = Array(value.utf8)
    }

    /// Parses `1#extension`, skipping empty elements.
    mutating func parseList() throws(HeaderValueError) -> [ExtensionOffer] {
        var offers: [ExtensionOffer] = []
        while true {
            skipWhitespace()
            guard let byte = peek() else { return offers }
            if byte == UInt8(ascii: ",") {
                position += 1
                continue
            }
            offers.append(try parseOffer())
            skipWhitespace()
            switch peek() {
            case nil:
                return offers
            case UInt8(ascii: ","):
                position += 1
            default:
                throw error("a ',' between offers or a ';' before a parameter was expected")
            }
        }
    }

    /// Parses `extension-token *( ";" extension-param )`.
    private mutating func parseOffer() throws(HeaderValueError) -> ExtensionOffer {
        let name = try parseToken(expecting: "an extension name was expected")
        var parameters: [ExtensionParameter] = []
        skipWhitespace()
        while peek() == UInt8(ascii: ";") {
            position += 1
            skipWhitespace()
            let parameterName = try parseToken(expecting: "a parameter name was expected after ';'")
            skipWhitespace()
            var parameterValue: String?
            if peek() == UInt8(ascii: "=") {
                position += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "\"") {
                    parameterValue = try parseQuotedValue()
                } else {
                    parameterValue = try parseToken(
                        expecting: "a parameter value (token or quoted string) was expected")
                }
            }
            parameters.append(ExtensionParameter(name: parameterName, value: parameterValue))
            skipWhitespace()
        }
        return ExtensionOffer(name: name, parameters: parameters)
    }

    /// Parses a non-empty token.
    private mutating func parseToken(expecting what: String) throws(HeaderValueError) -> String {
        let start = position
        while let byte = peek(), HTTPSyntax.isTokenByte(byte) {
            position += 1
        }
        guard position > start else { throw error(what) }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Parses a quoted string starting at its opening quote; the unescaped text must be a token.
    private mutating func parseQuotedValue() throws(HeaderValueError) -> String {
        let start = position
        position += 1
        var unescaped: [UInt8] = []
        while true {
            guard let byte = peek() else {
                position = start
                throw error("this quoted string has no closing '\"'")
            }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard !unescaped.isEmpty, unescaped.allSatisfy(HTTPSyntax.isTokenByte) else {
                    position = start
                    throw error("a quoted parameter value must be a token once unescaped (RFC 6455 section 9.1)")
                }
                return String(decoding: unescaped, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard let escaped = peek(), !HTTPSyntax.isControl(escaped) else {
                    throw error("a '\\' in a quoted string must be followed by a visible character, space or tab")
                }
                unescaped.append(escaped)
                position += 1
            default:
                guard !HTTPSyntax.isControl(byte) else {
                    throw error("control characters are not allowed in a quoted string")
                }
                unescaped.append(byte)
                position += 1
            }
        }
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), HTTPSyntax.isWhitespace(byte) {
            position += 1
        }
    }

    private func error(_ reason: String) -> HeaderValueError {
        HeaderValueError(
            header: ExtensionOffer.headerName, occurrence: occurrence, value: value, offset: position, reason: reason)
    }
}
