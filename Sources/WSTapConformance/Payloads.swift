/// Payloads the tables are made of.
public enum Payloads {
    /// `count` printable ASCII bytes in a repeating pattern.
    public static func ascii(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
    }

    /// `count` bytes covering every byte value.
    public static func binary(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    }
}
