import WSTapCore

/// Hexadecimal text to bytes and back, as `wstap craft` prints and `wstap decode` reads it.
public enum HexText {
    /// Parses hexadecimal digits, ignoring whitespace, `:` and `-` separators and `0x` prefixes.
    /// - Throws: ``InputError`` naming the first offending character and its position.
    public static func parse(_ text: some StringProtocol) throws(InputError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8? = nil
        var previous: UInt8 = 0
        var position = 0
        for char in text.utf8 {
            position += 1
            let value: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = char - UInt8(ascii: "A") + 10
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: ":"),
                UInt8(ascii: "-"), UInt8(ascii: ","):
                previous = char
                continue
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                // A "0x" prefix: the 0 was taken as a high digit; take it back.
                if high == 0, previous == UInt8(ascii: "0") {
                    high = nil
                    previous = char
                    continue
                }
                throw InputError("hex input", "character 'x' at position \(position) is not a hexadecimal digit")
            default:
                let shown = char < 0x80 && char >= 0x20 ? "'\(Character(Unicode.Scalar(char)))'" : "byte 0x\(hex(char))"
                throw InputError("hex input", "\(shown) at position \(position) is not a hexadecimal digit")
            }
            previous = char
            if let h = high {
                bytes.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        if high != nil {
            throw InputError("hex input", "odd number of hexadecimal digits: the last byte is missing a digit")
        }
        return bytes
    }

    /// Bytes as lowercase hexadecimal, optionally separated.
    public static func format(_ bytes: some Sequence<UInt8>, separator: String = "") -> String {
        if separator.isEmpty { return LowercaseHex.string(bytes) }
        var out = ""
        var first = true
        for byte in bytes {
            if !first { out += separator }
            first = false
            out += hex(byte)
        }
        return out
    }

    static func hex(_ byte: UInt8) -> String {
        LowercaseHex.string(CollectionOfOne(byte))
    }
}
