/// The three reserved bits of a frame's first byte (RFC 6455 section 5.2), as they sit in that byte.
public struct ReservedBits: OptionSet, Hashable, Sendable {
    /// The bits in place within the frame's first byte: RSV1 is 0x40, RSV2 0x20, RSV3 0x10.
    public let rawValue: UInt8

    /// The reserved bits of `rawValue` read as a frame's first byte: the other bits are dropped.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue & 0x70
    }

    /// RSV1 (0x40), which permessage-deflate uses to mark a compressed message.
    public static let rsv1 = ReservedBits(rawValue: 0x40)
    /// RSV2 (0x20), unused by any registered extension.
    public static let rsv2 = ReservedBits(rawValue: 0x20)
    /// RSV3 (0x10), unused by any registered extension.
    public static let rsv3 = ReservedBits(rawValue: 0x10)

    /// Creates the set from a number 0-7 whose bits are RSV1 (4), RSV2 (2) and RSV3 (1).
    public init(number: UInt8) {
        self.init(rawValue: (number & 0x7) << 4)
    }

    /// The bits as a number 0-7: RSV1 is 4, RSV2 is 2, RSV3 is 1.
    public var number: UInt8 { rawValue >> 4 }
}
