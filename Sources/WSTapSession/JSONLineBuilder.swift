/// Writes one flat JSON object into a reusable byte array, without going through `String` for
/// payloads: base64 and escaped UTF-8 are produced straight from the bytes.
struct JSONLineBuilder {
    /// The bytes written so far (may hold several lines).
    var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the object and ends the line.
    mutating func endLine() {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes `"name":` (the name must not need escaping).
    mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: UInt64) {
        key(name)
        integer(value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            integer(UInt64(-Int64(value)))
        } else {
            integer(UInt64(value))
        }
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
    }

    /// Seconds with microsecond precision, written as a plain decimal number.
    mutating func field(_ name: StaticString, seconds: Double) {
        key(name)
        guard seconds.isFinite, seconds >= 0, seconds < 1e15 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        let micros = UInt64((seconds * 1_000_000).rounded())
        integer(micros / 1_000_000)
        bytes.append(UInt8(ascii: "."))
        let fraction = micros % 1_000_000
        var divisor: UInt64 = 100_000
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: (fraction / divisor) % 10))
            divisor /= 10
        }
    }

    mutating func integer(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                count += 1
            }
            var index = count
            while index > 0 {
                index -= 1
                bytes.append(raw[index])
            }
        }
    }

    /// A JSON string from a Swift string.
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { escapedString(UnsafeRawBufferPointer($0)) }
    }

    /// A JSON string holding the given bytes, which must be valid UTF-8; quotes, backslashes and control
    /// characters are escaped, everything else copied as it is.
    mutating func escapedString(_ utf8: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                index &+= 1
                continue
            }
            if index > runStart { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<index])) }
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            }
            index &+= 1
            runStart = index
        }
        if count > runStart { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<count])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON string holding the bytes in padded standard base64.
    mutating func base64String(_ data: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        let count = data.count
        let outputCount = (count + 2) / 3 * 4
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: outputCount))
        bytes.withUnsafeMutableBufferPointer { output in
            Self.alphabet.withUnsafeBufferPointer { alphabet in
                var out = start
                var index = 0
                while index &+ 3 <= count {
                    let group = UInt32(data[index]) << 16 | UInt32(data[index &+ 1]) << 8 | UInt32(data[index &+ 2])
                    output[out] = alphabet[Int(group >> 18)]
                    output[out &+ 1] = alphabet[Int(group >> 12 & 0x3F)]
                    output[out &+ 2] = alphabet[Int(group >> 6 & 0x3F)]
                    output[out &+ 3] = alphabet[Int(group & 0x3F)]
                    out &+= 4
                    index &+= 3
                }
                let rest = count &- index
                if rest > 0 {
                    let second = rest == 2 ? UInt32(data[index &+ 1]) : 0
                    let group = UInt32(data[index]) << 16 | second << 8
                    output[out] = alphabet[Int(group >> 18)]
                    output[out &+ 1] = alphabet[Int(group >> 12 & 0x3F)]
                    output[out &+ 2] = rest == 2 ? alphabet[Int(group >> 6 & 0x3F)] : UInt8(ascii: "=")
                    output[out &+ 3] = UInt8(ascii: "=")
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
}
