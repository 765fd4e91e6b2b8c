/// How a frame's payload length is written on the wire (RFC 6455 section 5.2).
public enum PayloadLengthEncoding: Hashable, Sendable, CaseIterable {
    /// In the 7-bit field itself (0-125).
    case bits7
    /// The 7-bit field holds 126 and a 16-bit big-endian length follows.
    case bits16
    /// The 7-bit field holds 127 and a 64-bit big-endian length follows.
    case bits64

    /// The encoding RFC 6455 requires for a length: the shortest that holds it.
    public static func minimal(for length: UInt64) -> PayloadLengthEncoding {
        if length <= 125 { return .bits7 }
        if length <= 0xFFFF { return .bits16 }
        return .bits64
    }

    /// Whether `length` can be written in this encoding.
    public func canHold(_ length: UInt64) -> Bool {
        switch self {
        case .bits7: return length <= 125
        case .bits16: return length <= 0xFFFF
        case .bits64: return true
        }
    }

    /// Bytes after the second header byte that carry the length: 0, 2 or 8.
    public var extendedLengthSize: Int {
        switch self {
        case .bits7: return 0
        case .bits16: return 2
        case .bits64: return 8
        }
    }

    /// `7`, `16` or `64`.
    public var bitCount: Int {
        switch self {
        case .bits7: return 7
        case .bits16: return 16
        case .bits64: return 64
        }
    }
}
