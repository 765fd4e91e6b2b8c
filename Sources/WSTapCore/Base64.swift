/// Standard base64 (RFC 4648 section 4: alphabet `A-Z a-z 0-9 + /`, `=` padding).
///
/// Encoding always pads. Decoding is strict: the input must be padded to a multiple of four characters,
/// use only the standard alphabet, carry padding only at the end, and leave the unused bits of the last
/// character zero, so every byte string has exactly one accepted spelling. Whitespace is not skipped.
public enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let padding = UInt8(ascii: "=")

    /// Encodes bytes as padded standard base64.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(second == nil ? padding : alphabet[Int(group >> 6 & 0x3F)])
            output.append(third == nil ? padding : alphabet[Int(group & 0x3F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes padded standard base64; `nil` when the text is not exactly such an encoding.
    public static func decode(_ string: String) -> [UInt8]? {
        let input = Array(string.utf8)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var groupStart = 0
        while groupStart < input.count {
            let isLastGroup = groupStart + 4 == input.count
            var group: UInt32 = 0
            var paddingCount = 0
            for offset in 0..<4 {
                let character = input[groupStart + offset]
                if character == padding {
                    // Padding may fill only the last one or two places of the last group.
                    guard isLastGroup, offset >= 2 else { return nil }
                    paddingCount += 1
                    group <<= 6
                    continue
                }
                guard paddingCount == 0, let value = sextet(character) else { return nil }
                group = group << 6 | UInt32(value)
            }
            switch paddingCount {
            case 0:
                output.append(contentsOf: [UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)])
            case 1:
                guard group & 0xFF == 0 else { return nil }
                output.append(contentsOf: [UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF)])
            default:
                guard group & 0xFFFF == 0 else { return nil }
                output.append(UInt8(group >> 16 & 0xFF))
            }
            groupStart += 4
        }
        return output
    }

    /// The six-bit value of one alphabet character, or `nil` for anything outside the alphabet.
    private static func sextet(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
