/// Why a `permessage-deflate` offer or response is unacceptable (RFC 7692 section 7.1).
///
/// A client that gets one for the server's response must fail the WebSocket connection; a server declines
/// the offer that caused it and tries the next one.
public struct PerMessageDeflateNegotiationError: Error, Hashable, Sendable {
    /// What is wrong.
    public enum Kind: Hashable, Sendable {
        /// The element is another extension.
        case notPerMessageDeflate(name: String)
        /// A parameter RFC 7692 does not define.
        case unknownParameter(name: String)
        /// A parameter given twice.
        case duplicateParameter(name: String)
        /// A value on a parameter that takes none (`server_no_context_takeover`, `client_no_context_takeover`).
        case unexpectedValue(name: String, value: String)
        /// A parameter that needs a value without one (`server_max_window_bits`; `client_max_window_bits` in
        /// a response).
        case missingValue(name: String)
        /// Window bits that are not a decimal 8-15 without leading zeros.
        case invalidWindowBits(name: String, value: String)
        /// The server answered `client_max_window_bits` although the client did not offer it.
        case unofferedClientMaxWindowBits
        /// The server answered window bits larger than the client offered.
        case windowBitsAboveOffer(name: String, offered: Int, answered: Int)
        /// The server left out a parameter the client asked for (`server_no_context_takeover`,
        /// `server_max_window_bits`), which it may not do while accepting the offer.
        case missingRequestedParameter(name: String)
        /// The response holds more than one `permessage-deflate` element.
        case repeatedExtension
    }

    /// What is wrong.
    public let kind: Kind

    /// Creates an error.
    public init(_ kind: Kind) {
        self.kind = kind
    }
}

extension PerMessageDeflateNegotiationError: CustomStringConvertible {
    /// One sentence saying what is wrong and, where it helps, which rule of RFC 7692 it breaks.
    public var description: String {
        switch kind {
        case .notPerMessageDeflate(let name):
            "\"\(name)\" is not permessage-deflate"
        case .unknownParameter(let name):
            "permessage-deflate has no parameter \"\(name)\" (RFC 7692 section 7.1)"
        case .duplicateParameter(let name):
            "permessage-deflate parameter \"\(name)\" is given twice (RFC 7692 section 7.1)"
        case .unexpectedValue(let name, let value):
            "permessage-deflate parameter \"\(name)\" takes no value, but has \"\(value)\""
        case .missingValue(let name):
            "permessage-deflate parameter \"\(name)\" needs a value (window bits 8-15) here"
        case .invalidWindowBits(let name, let value):
            "permessage-deflate parameter \"\(name)\" has \"\(value)\", but window bits are a decimal 8-15 "
                + "without leading zeros (RFC 7692 section 7.1.2)"
        case .unofferedClientMaxWindowBits:
            "the server answered client_max_window_bits, which the client did not offer (RFC 7692 section 7.1.2.2)"
        case .windowBitsAboveOffer(let name, let offered, let answered):
            "the server answered \(name)=\(answered), above the \(offered) the client offered"
        case .missingRequestedParameter(let name):
            "the server accepted permessage-deflate without \(name), which the client asked for "
                + "(RFC 7692 section 7.1)"
        case .repeatedExtension:
            "the server answered permessage-deflate more than once"
        }
    }
}
