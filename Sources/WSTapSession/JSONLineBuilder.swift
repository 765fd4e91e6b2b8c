#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes flat JSON objects, one per line, into memory it owns and reuses, without going through
/// `String` for payloads: base64 and escaped UTF-8 are produced straight from the bytes.
///
/// Every write reserves room once and then stores through a raw pointer: no per-byte uniqueness,
/// bounds or exclusivity checks, which dominated the recorder's time for small frames when the
/// bytes were a Swift array. Used by one thread at a time (the recorder's writer).
final class JSONLineBuilder {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many bytes are written so far (may be several lines).
    private(set) var count = 0
    private var needsComma = false

    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// Whether nothing is written since the last ``removeAll()``.
    var isEmpty: Bool { count == 0 }

    /// Calls `body` with the bytes written so far (valid only during the call).
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets the bytes written, keeping the memory.
    func removeAll() {
        count = 0
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private func reserve(_ extra: Int) {
        if extra > capacity &- count { grow(toHold: count + extra) }
    }

    private func grow(toHold needed: Int) {
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// One byte (room must have been reserved).
    @inline(__always)
    private func put(_ byte: UInt8) {
        base[count] = byte
        count &+= 1
    }

    /// Bytes as they are (room must have been reserved).
    @inline(__always)
    private func put(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        memcpy(base + count, source, bytes.count)
        count &+= bytes.count
    }

    /// Appends one byte of JSON syntax.
    func append(_ byte: UInt8) {
        reserve(1)
        put(byte)
    }

    /// Appends bytes of JSON syntax as they are.
    func append(_ bytes: StaticString) {
        reserve(Self.maximumLength(of: bytes))
        put(bytes)
    }

    /// At least the length in bytes of a literal (one stored as a single scalar takes at most 4).
    @inline(__always)
    private static func maximumLength(of literal: StaticString) -> Int {
        literal.hasPointerRepresentation ? literal.utf8CodeUnitCount : 4
    }

    /// A string literal's bytes (room must have been reserved).
    @inline(__always)
    private func put(_ literal: StaticString) {
        guard literal.hasPointerRepresentation else {
            // A one-character literal may be stored as its scalar.
            literal.withUTF8Buffer { put(UnsafeRawBufferPointer($0)) }
            return
        }
        let length = literal.utf8CodeUnitCount
        memcpy(base + count, literal.utf8Start, length)
        count &+= length
    }

    func beginObject() {
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the object and ends the line.
    func endLine() {
        reserve(2)
        put(UInt8(ascii: "}"))
        put(UInt8(ascii: "\n"))
    }

    /// Writes `"name":` (the name must not need escaping).
    func key(_ name: StaticString) {
        reserve(Self.maximumLength(of: name) &+ 4)
        if needsComma { put(UInt8(ascii: ",")) }
        put(UInt8(ascii: "\""))
        put(name)
        put(UInt8(ascii: "\""))
        put(UInt8(ascii: ":"))
        needsComma = true
    }

    func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    func field(_ name: StaticString, _ value: UInt64) {
        key(name)
        integer(value)
    }

    func field(_ name: StaticString, _ value: Int) {
        key(name)
        if value < 0 {
            append(UInt8(ascii: "-"))
            integer(UInt64(value.magnitude))
        } else {
            integer(UInt64(value))
        }
    }

    func field(_ name: StaticString, _ value: Bool) {
        key(name)
        append(value ? "true" : "false")
    }

    /// A 32-bit number as a string of eight lowercase hex digits (a masking key).
    func field(_ name: StaticString, hex32 value: UInt32) {
        key(name)
        reserve(10)
        put(UInt8(ascii: "\""))
        var shift: UInt32 = 28
        for _ in 0..<8 {
            put(Self.hexDigit(UInt8(truncatingIfNeeded: value >> shift) & 0xF))
            shift &-= 4
        }
        put(UInt8(ascii: "\""))
    }

    /// Seconds with microsecond precision, written as a plain decimal number.
    func field(_ name: StaticString, seconds: Double) {
        key(name)
        guard seconds.isFinite, seconds >= 0, seconds < 1e15 else {
            append(UInt8(ascii: "0"))
            return
        }
        let micros = UInt64((seconds * 1_000_000).rounded())
        integer(micros / 1_000_000)
        reserve(7)
        put(UInt8(ascii: "."))
        var fraction = micros % 1_000_000
        // Six digits, written from the last.
        var index = count &+ 5
        while index >= count {
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction % 10)
            fraction /= 10
            index &-= 1
        }
        count &+= 6
    }

    /// A non-negative integer in decimal.
    func integer(_ value: UInt64) {
        reserve(20)
        if value < 10 {
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digits = 1
        var bound: UInt64 = 10
        while digits < 20, value >= bound {
            digits &+= 1
            if digits < 20 { bound &*= 10 }
        }
        var rest = value
        var index = count &+ digits &- 1
        while index >= count {
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index &-= 1
        }
        count &+= digits
    }

    /// A JSON string from a Swift string.
    func string(_ value: String) {
        var value = value
        value.withUTF8 { escapedString(UnsafeRawBufferPointer($0)) }
    }

    /// A JSON string holding the given bytes, which must be valid UTF-8; quotes, backslashes and control
    /// characters are escaped, everything else copied as it is.
    func escapedString(_ utf8: UnsafeRawBufferPointer) {
        let length = utf8.count
        reserve(length &+ 2)
        put(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < length {
            let byte = utf8[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                index &+= 1
                continue
            }
            put(UnsafeRawBufferPointer(rebasing: utf8[runStart..<index]))
            // The rest of the string, the escape and the closing quote.
            reserve(length &- index &+ 7)
            put(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): put(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): put(UInt8(ascii: "\\"))
            case 0x0A: put(UInt8(ascii: "n"))
            case 0x0D: put(UInt8(ascii: "r"))
            case 0x09: put(UInt8(ascii: "t"))
            default:
                put(UInt8(ascii: "u"))
                put(UInt8(ascii: "0"))
                put(UInt8(ascii: "0"))
                put(Self.hexDigit(byte >> 4))
                put(Self.hexDigit(byte & 0xF))
            }
            index &+= 1
            runStart = index
        }
        put(UnsafeRawBufferPointer(rebasing: utf8[runStart..<length]))
        put(UInt8(ascii: "\""))
    }

    /// A JSON string holding the bytes in padded standard base64.
    func base64String(_ data: UnsafeRawBufferPointer) {
        let length = data.count
        let outputCount = (length + 2) / 3 * 4
        reserve(outputCount &+ 2)
        put(UInt8(ascii: "\""))
        var out = base + count
        var index = 0
        while index &+ 3 <= length {
            let group = UInt32(data[index]) << 16 | UInt32(data[index &+ 1]) << 8 | UInt32(data[index &+ 2])
            out[0] = Self.base64Digit(group >> 18)
            out[1] = Self.base64Digit(group >> 12 & 0x3F)
            out[2] = Self.base64Digit(group >> 6 & 0x3F)
            out[3] = Self.base64Digit(group & 0x3F)
            out += 4
            index &+= 3
        }
        let rest = length &- index
        if rest > 0 {
            let second = rest == 2 ? UInt32(data[index &+ 1]) : 0
            let group = UInt32(data[index]) << 16 | second << 8
            out[0] = Self.base64Digit(group >> 18)
            out[1] = Self.base64Digit(group >> 12 & 0x3F)
            out[2] = rest == 2 ? Self.base64Digit(group >> 6 & 0x3F) : UInt8(ascii: "=")
            out[3] = UInt8(ascii: "=")
        }
        count &+= outputCount
        put(UInt8(ascii: "\""))
    }

    /// The lowercase hex digit of a value below 16.
    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        hexDigits.utf8Start[Int(value)]
    }

    /// The standard base64 digit of a value below 64.
    @inline(__always)
    private static func base64Digit(_ value: UInt32) -> UInt8 {
        base64Alphabet.utf8Start[Int(value)]
    }

    private static let hexDigits: StaticString = "0123456789abcdef"
    private static let base64Alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
}
