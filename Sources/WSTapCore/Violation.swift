/// A protocol violation found in a frame or a stream, named and tied to the section of the
/// specification it breaks. The tolerant decoders report these as data and go on; strict endpoints
/// turn them into the close code given by ``Violation/Kind/closeCode``.
public struct Violation: Hashable, Sendable {
    /// What rule was broken.
    public var kind: Kind
    /// Specifics, such as the offending value or byte offset; empty when the kind says it all.
    public var detail: String

    /// A violation of this kind, with optional specifics (a value, an offset).
    public init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    /// Every rule the decoders check.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        // RFC 6455
        case reservedOpcode = "reserved-opcode"
        case reservedBitSet = "reserved-bit-set"
        case controlFrameTooLong = "control-frame-too-long"
        case fragmentedControlFrame = "fragmented-control-frame"
        case continuationWithoutMessage = "continuation-without-message"
        case dataFrameInsideMessage = "data-frame-inside-message"
        case clientFrameUnmasked = "client-frame-unmasked"
        case serverFrameMasked = "server-frame-masked"
        case nonMinimalLength = "non-minimal-length"
        case lengthHighBitSet = "length-high-bit-set"
        case invalidUTF8 = "invalid-utf8"
        case closeBodyTooShort = "close-body-too-short"
        case closeCodeNotAllowed = "close-code-not-allowed"
        case closeReasonInvalidUTF8 = "close-reason-invalid-utf8"
        case frameAfterClose = "frame-after-close"
        case frameTooBig = "frame-too-big"
        case messageTooBig = "message-too-big"
        case incompleteFrame = "incomplete-frame"
        // hybi-00
        case hybi00UnknownFrameType = "hybi00-unknown-frame-type"
        case hybi00BinaryFrame = "hybi00-length-prefixed-frame"
        case hybi00CloseWithPayload = "hybi00-close-with-payload"

        /// The section of the specification the rule comes from.
        public var section: String {
            switch self {
            case .reservedOpcode, .reservedBitSet, .nonMinimalLength, .lengthHighBitSet: return "RFC 6455 5.2"
            case .controlFrameTooLong, .fragmentedControlFrame: return "RFC 6455 5.5"
            case .continuationWithoutMessage, .dataFrameInsideMessage: return "RFC 6455 5.4"
            case .clientFrameUnmasked, .serverFrameMasked: return "RFC 6455 5.1"
            case .invalidUTF8: return "RFC 6455 8.1"
            case .closeBodyTooShort, .closeReasonInvalidUTF8, .frameAfterClose: return "RFC 6455 5.5.1"
            case .closeCodeNotAllowed: return "RFC 6455 7.4"
            case .frameTooBig, .messageTooBig: return "RFC 6455 10.4"
            case .incompleteFrame: return "RFC 6455 5.2"
            case .hybi00UnknownFrameType, .hybi00BinaryFrame, .hybi00CloseWithPayload: return Self.hybi00Framing
            }
        }

        /// The data framing section of the hybi-00 draft (the rules of its frames, their close and their
        /// limits live there).
        static let hybi00Framing = "draft-ietf-hybi-thewebsocketprotocol-00 4.2"

        /// The section of the specification the rule comes from, for a frame of `variant`: a hybi-00
        /// frame's rules are the hybi-00 draft's, whatever the kind.
        public func section(for variant: ProtocolVariant) -> String {
            variant == .hybi00 ? Self.hybi00Framing : section
        }

        /// A one-line explanation of the rule.
        public var summary: String {
            switch self {
            case .reservedOpcode: return "reserved opcode"
            case .reservedBitSet: return "RSV bit set without a negotiated extension"
            case .controlFrameTooLong: return "control frame payload over 125 bytes"
            case .fragmentedControlFrame: return "control frame without FIN (fragmented)"
            case .continuationWithoutMessage: return "continuation frame with no message open"
            case .dataFrameInsideMessage: return "new data frame while a fragmented message is open"
            case .clientFrameUnmasked: return "client frame not masked"
            case .serverFrameMasked: return "server frame masked"
            case .nonMinimalLength: return "payload length not in its minimal encoding"
            case .lengthHighBitSet: return "64-bit payload length with the most significant bit set"
            case .invalidUTF8: return "text message is not valid UTF-8"
            case .closeBodyTooShort: return "close frame body of 1 byte"
            case .closeCodeNotAllowed: return "close code not allowed on the wire"
            case .closeReasonInvalidUTF8: return "close reason is not valid UTF-8"
            case .frameAfterClose: return "frame sent after a close frame"
            case .frameTooBig: return "frame over the size limit"
            case .messageTooBig: return "message over the size limit"
            case .incompleteFrame: return "stream ended inside a frame"
            case .hybi00UnknownFrameType: return "frame type not defined by hybi-00"
            case .hybi00BinaryFrame: return "length-prefixed frame that hybi-00 does not define"
            case .hybi00CloseWithPayload: return "close frame carrying a payload"
            }
        }

        /// The close code a strict endpoint sends for this violation (RFC 6455 7.4.1).
        public var closeCode: CloseCode {
            switch self {
            case .invalidUTF8, .closeReasonInvalidUTF8: return .invalidPayloadData
            case .frameTooBig, .messageTooBig: return .messageTooBig
            default: return .protocolError
            }
        }
    }
}

extension Violation: CustomStringConvertible {
    /// `kind summary (detail) [section]`, for example
    /// `reserved-opcode: reserved opcode (0x3) [RFC 6455 5.2]`.
    public var description: String { description(for: .rfc6455) }

    /// The description citing the section of `variant`'s specification.
    public func description(for variant: ProtocolVariant) -> String {
        let detailPart = detail.isEmpty ? "" : " (\(detail))"
        return "\(kind.rawValue): \(kind.summary)\(detailPart) [\(kind.section(for: variant))]"
    }
}
