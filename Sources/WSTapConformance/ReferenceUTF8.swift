/// A plain, table-driven reading of the well-formed UTF-8 byte sequences (Unicode 15, table 3-7), written
/// independently of the library's validator so that the tests can tell where a stream first goes wrong.
public enum ReferenceUTF8 {
    /// The allowed range of each byte after a lead byte, or `nil` when the byte cannot lead.
    public static func continuationRanges(after lead: UInt8) -> [ClosedRange<UInt8>]? {
        switch lead {
        case 0x00...0x7F: return []
        case 0xC2...0xDF: return [0x80...0xBF]
        case 0xE0: return [0xA0...0xBF, 0x80...0xBF]
        case 0xE1...0xEC, 0xEE...0xEF: return [0x80...0xBF, 0x80...0xBF]
        case 0xED: return [0x80...0x9F, 0x80...0xBF]
        case 0xF0: return [0x90...0xBF, 0x80...0xBF, 0x80...0xBF]
        case 0xF1...0xF3: return [0x80...0xBF, 0x80...0xBF, 0x80...0xBF]
        case 0xF4: return [0x80...0x8F, 0x80...0xBF, 0x80...0xBF]
        default: return nil
        }
    }

    /// The index of the first byte after which no continuation can make `bytes` valid, or `nil` when
    /// `bytes` is valid or a valid text cut short.
    public static func firstInvalidIndex(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            guard let ranges = continuationRanges(after: bytes[index]) else { return index }
            for (offset, range) in ranges.enumerated() {
                let position = index + 1 + offset
                guard position < bytes.count else { return nil }
                guard range.contains(bytes[position]) else { return position }
            }
            index += 1 + ranges.count
        }
        return nil
    }

    /// Whether `bytes` is complete, valid UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }
}
