/// A frame header exactly as it was (or will be) on the wire (RFC 6455 section 5.2), including the
/// forms the RFC forbids: reserved opcodes, RSV bits, non-minimal and top-bit-set lengths.
public struct FrameHeader: Hashable, Sendable {
    /// The FIN bit: whether this is the last frame of its message (always set for control frames).
    public var fin: Bool
    /// RSV1-3, which must be clear unless an extension gives them a meaning.
    public var reservedBits: ReservedBits
    /// The opcode, any of the 16 values.
    public var opcode: Opcode
    /// The masking key, or `nil` when the MASK bit is clear.
    public var maskingKey: MaskingKey?
    /// The payload length as declared in the header.
    public var payloadLength: UInt64
    /// How the length was encoded.
    public var lengthEncoding: PayloadLengthEncoding

    /// A header; `lengthEncoding` `nil` picks the minimal encoding for `payloadLength`.
    public init(
        fin: Bool = true, reservedBits: ReservedBits = [], opcode: Opcode, maskingKey: MaskingKey? = nil,
        payloadLength: UInt64, lengthEncoding: PayloadLengthEncoding? = nil
    ) {
        self.fin = fin
        self.reservedBits = reservedBits
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
        self.lengthEncoding = lengthEncoding ?? .minimal(for: payloadLength)
    }

    /// Whether the MASK bit is set.
    public var isMasked: Bool { maskingKey != nil }

    /// The number of header bytes: 2 to 14.
    public var size: Int { 2 + lengthEncoding.extendedLengthSize + (isMasked ? 4 : 0) }

    /// The first header byte: FIN, RSV1-3 and the opcode.
    public var firstByte: UInt8 { (fin ? 0x80 : 0) | reservedBits.rawValue | opcode.rawValue }

    /// Whether the length is written in more bytes than it needs.
    public var hasNonMinimalLength: Bool { lengthEncoding != .minimal(for: payloadLength) }

    /// Writes the header bytes into `destination`, which must hold at least ``size`` bytes.
    /// - Returns: the number of bytes written.
    @discardableResult
    public func write(to destination: UnsafeMutableRawBufferPointer) -> Int {
        var index = 0
        func put(_ byte: UInt8) {
            destination[index] = byte
            index += 1
        }
        put(firstByte)
        let maskBit: UInt8 = isMasked ? 0x80 : 0
        switch lengthEncoding {
        case .bits7:
            put(maskBit | UInt8(truncatingIfNeeded: payloadLength & 0x7F))
        case .bits16:
            put(maskBit | 126)
            put(UInt8(truncatingIfNeeded: payloadLength >> 8))
            put(UInt8(truncatingIfNeeded: payloadLength))
        case .bits64:
            put(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                put(UInt8(truncatingIfNeeded: payloadLength >> UInt64(shift)))
            }
        }
        if let key = maskingKey {
            put(key.bytes.0)
            put(key.bytes.1)
            put(key.bytes.2)
            put(key.bytes.3)
        }
        return index
    }

    /// The header bytes.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 14) { buffer, count in
            count = write(to: UnsafeMutableRawBufferPointer(buffer))
        }
    }
}
