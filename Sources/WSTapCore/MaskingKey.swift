/// The 32-bit masking key of a client frame (RFC 6455 section 5.3), in wire order.
public struct MaskingKey: Hashable, Sendable {
    /// The four key bytes in the order they appear on the wire.
    public var bytes: (UInt8, UInt8, UInt8, UInt8)

    /// Creates a key from its four bytes in wire order.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        bytes = (b0, b1, b2, b3)
    }

    /// Creates a key from its big-endian 32-bit value (the wire order read as one number).
    public init(value: UInt32) {
        self.init(
            UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
            UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }

    /// Parses eight hexadecimal digits, such as `37fa213d`.
    public init?(hex: String) {
        guard hex.utf8.count == 8, let value = UInt32(hex, radix: 16) else { return nil }
        self.init(value: value)
    }

    /// A key from a cryptographically secure source by default (RFC 6455 section 10.3).
    public static func random(using generator: inout some RandomNumberGenerator) -> MaskingKey {
        MaskingKey(value: generator.next())
    }

    /// A key from the system's cryptographically secure random source.
    public static func random() -> MaskingKey {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// The key as one big-endian number.
    public var value: UInt32 {
        UInt32(bytes.0) << 24 | UInt32(bytes.1) << 16 | UInt32(bytes.2) << 8 | UInt32(bytes.3)
    }

    /// The key as eight lowercase hexadecimal digits.
    public var hex: String {
        withUnsafeBytes(of: bytes) { LowercaseHex.string($0) }
    }

    /// The key byte that masks payload byte number `index`.
    @inlinable
    public subscript(index: Int) -> UInt8 {
        switch index & 3 {
        case 0: return bytes.0
        case 1: return bytes.1
        case 2: return bytes.2
        default: return bytes.3
        }
    }

    /// Keys are equal when their four bytes are.
    public static func == (lhs: MaskingKey, rhs: MaskingKey) -> Bool { lhs.value == rhs.value }
    /// Hashes the four bytes, as one 32-bit value.
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension MaskingKey: CustomStringConvertible {
    /// The key as eight hex digits in wire order, such as `37fa213d`.
    public var description: String { hex }
}
