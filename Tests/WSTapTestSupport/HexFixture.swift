/// Bytes written as hexadecimal digits in test fixtures (`"820e0001"`): two digits a byte, no separators.
public enum HexFixture {
    /// The bytes `hex` spells (a pair that is not hex becomes 0: fixtures are written by hand).
    public static func bytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var digits = hex.makeIterator()
        while let high = digits.next(), let low = digits.next() {
            bytes.append(UInt8(String([high, low]), radix: 16) ?? 0)
        }
        return bytes
    }
}
