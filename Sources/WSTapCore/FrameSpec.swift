/// Everything needed to craft one RFC 6455 frame, valid or deliberately not.
public struct FrameSpec: Hashable, Sendable {
    /// How the payload is masked.
    public enum Mask: Hashable, Sendable {
        /// MASK bit clear, payload as is.
        case none
        /// A fresh key from a cryptographically secure source.
        case random
        /// This key.
        case key(MaskingKey)
    }

    /// The FIN bit to write.
    public var fin: Bool
    /// The RSV bits to write.
    public var reservedBits: ReservedBits
    /// The opcode to write, any of the 16 values.
    public var opcode: Opcode
    /// Whether and with which key to mask the payload.
    public var mask: Mask
    /// The length encoding to force; `nil` picks the minimal one for the declared length.
    public var lengthEncoding: PayloadLengthEncoding?
    /// The length to write in the header; `nil` writes the payload's real length. A different value
    /// crafts a truncated or overlong frame.
    public var declaredLength: UInt64?
    /// The payload bytes, unmasked.
    public var payload: [UInt8]

    /// A frame to craft: by default a final, unmasked text frame with its real length, minimally encoded.
    public init(
        fin: Bool = true, reservedBits: ReservedBits = [], opcode: Opcode = .text, mask: Mask = .none,
        lengthEncoding: PayloadLengthEncoding? = nil, declaredLength: UInt64? = nil, payload: [UInt8] = []
    ) {
        self.fin = fin
        self.reservedBits = reservedBits
        self.opcode = opcode
        self.mask = mask
        self.lengthEncoding = lengthEncoding
        self.declaredLength = declaredLength
        self.payload = payload
    }

    /// A text frame.
    public static func text(_ text: String, fin: Bool = true, mask: Mask = .none) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .text, mask: mask, payload: Array(text.utf8))
    }

    /// A close frame with a code and reason (no body when `code` is `nil`).
    public static func close(code: CloseCode?, reason: String = "", mask: Mask = .none) -> FrameSpec {
        FrameSpec(opcode: .close, mask: mask, payload: CloseBody(code: code, reason: reason).bytes)
    }
}
