/// Reads MQTT's data types from the bytes of one packet; every read that runs past the end throws.
struct MQTTReader {
    struct Short: Error, CustomStringConvertible {
        var what: String
        var description: String { "the packet ends inside \(what)" }
    }

    private let bytes: ArraySlice<UInt8>
    private(set) var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var isAtEnd: Bool { index >= bytes.endIndex }
    var remaining: Int { bytes.endIndex - index }

    mutating func byte(_ what: String = "a byte") throws(Short) -> UInt8 {
        guard index < bytes.endIndex else { throw Short(what: what) }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func uint16(_ what: String = "a two-byte integer") throws(Short) -> UInt16 {
        let high = try byte(what)
        let low = try byte(what)
        return UInt16(high) << 8 | UInt16(low)
    }

    mutating func uint32(_ what: String = "a four-byte integer") throws(Short) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 { value = value << 8 | UInt32(try byte(what)) }
        return value
    }

    mutating func variableInteger(_ what: String = "a variable byte integer") throws(Short) -> Int {
        var value = 0
        var multiplier = 1
        for _ in 0..<4 {
            let next = try byte(what)
            value += Int(next & 0x7F) * multiplier
            if next & 0x80 == 0 { return value }
            multiplier *= 128
        }
        throw Short(what: what + " (more than 4 bytes)")
    }

    mutating func binary(_ what: String = "binary data") throws(Short) -> [UInt8] {
        let length = Int(try uint16(what))
        return try take(length, what)
    }

    mutating func take(_ count: Int, _ what: String) throws(Short) -> [UInt8] {
        guard count <= remaining else { throw Short(what: what) }
        defer { index += count }
        return Array(bytes[index..<(index + count)])
    }

    /// A UTF-8 string (invalid bytes shown as U+FFFD).
    mutating func string(_ what: String = "a string") throws(Short) -> String {
        String(decoding: try binary(what), as: UTF8.self)
    }

    mutating func rest() -> [UInt8] {
        defer { index = bytes.endIndex }
        return Array(bytes[min(index, bytes.endIndex)...])
    }
}
