/// Payloads the tables are made of. Built by copying one period of the pattern over and over, so that the
/// megabyte payloads of category 9 cost little even in a debug build.
public enum Payloads {
    /// `count` printable ASCII bytes in a repeating pattern (`abc...z`).
    public static func ascii(_ count: Int) -> [UInt8] {
        repeating((0..<26).map { UInt8(ascii: "a") + UInt8($0) }, count: count)
    }

    /// `count` bytes covering every byte value.
    public static func binary(_ count: Int) -> [UInt8] {
        repeating((0..<256).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }, count: count)
    }

    private static func repeating(_ period: [UInt8], count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, count))
        while bytes.count + period.count <= count { bytes.append(contentsOf: period) }
        bytes.append(contentsOf: period.prefix(max(0, count - bytes.count)))
        return bytes
    }
}
