/// Reads a recording line the way wstap writes it (one flat JSON object: strings, integers, the time,
/// booleans, and the array of violations) straight from its bytes into a ``RecordingLine``, about ten
/// times faster than `JSONDecoder`, which opening, searching, replaying and exporting a big recording
/// spend most of their time in.
///
/// It is a fast path only: on anything it does not expect (a value of the wrong type, whitespace, a
/// nested value where none belongs, a number it cannot read exactly, invalid UTF-8, a malformed escape)
/// it gives up and returns `nil`, and the line goes to `JSONDecoder`, which reads it or says what is
/// wrong. So every line it reads, it reads as `JSONDecoder` would.
struct FlatLineParser {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    /// The known keys read so far, one bit each (a key given twice is left to `JSONDecoder`).
    private var keysSeen: UInt64 = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The line's fields, or `nil` to leave the line to `JSONDecoder`.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> RecordingLine? {
        var parser = FlatLineParser(bytes)
        return parser.object()
    }

    private var atEnd: Bool { index >= bytes.count }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index &+= 1
        return true
    }

    private mutating func take(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard bytes.count - index >= length else { return false }
        for offset in 0..<length where bytes[index &+ offset] != literal.utf8Start[offset] { return false }
        index &+= length
        return true
    }

    private mutating func object() -> RecordingLine? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var line = RecordingLine()
        if take(UInt8(ascii: "}")) { return atEnd ? line : nil }
        repeat {
            guard let key = keyBytes(), take(UInt8(ascii: ":")) else { return nil }
            // `null` is the same as leaving a field out.
            if take("null") { continue }
            guard field(key, into: &line) else { return nil }
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")), atEnd else { return nil }
        return line
    }

    /// A key of ASCII characters without escapes (as every key wstap writes), as the range of its bytes.
    private mutating func keyBytes() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index &+= 1
                return start..<index &- 1
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
            index &+= 1
        }
        return nil
    }

    private func keyIs(_ key: Range<Int>, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        guard key.count == length else { return false }
        for offset in 0..<length where bytes[key.lowerBound &+ offset] != name.utf8Start[offset] { return false }
        return true
    }

    /// Reads the value of one field into `line`; `false` gives up.
    private mutating func field(_ key: Range<Int>, into line: inout RecordingLine) -> Bool {
        // The most frequent keys of frame lines first.
        if keyIs(key, "type") { return firstTime(0) && read(string: &line.type) }
        if keyIs(key, "conn") { return firstTime(1) && read(unsigned: &line.conn) }
        if keyIs(key, "t") { return firstTime(2) && read(double: &line.t) }
        if keyIs(key, "mono") { return firstTime(3) && read(unsigned: &line.mono) }
        if keyIs(key, "dir") { return firstTime(4) && read(string: &line.dir) }
        if keyIs(key, "variant") { return firstTime(5) && read(string: &line.variant) }
        if keyIs(key, "fin") { return firstTime(6) && read(bool: &line.fin) }
        if keyIs(key, "rsv") { return firstTime(7) && read(signed: &line.rsv) }
        if keyIs(key, "opcode") { return firstTime(8) && read(signed: &line.opcode) }
        if keyIs(key, "mask") { return firstTime(9) && read(string: &line.mask) }
        if keyIs(key, "len") { return firstTime(10) && read(unsigned: &line.len) }
        if keyIs(key, "lenBits") { return firstTime(11) && read(signed: &line.lenBits) }
        if keyIs(key, "offset") { return firstTime(12) && read(signed: &line.offset) }
        if keyIs(key, "wireLength") { return firstTime(13) && read(signed: &line.wireLength) }
        if keyIs(key, "wire") { return firstTime(14) && read(string: &line.wire) }
        if keyIs(key, "sideOffset") { return firstTime(15) && read(unsigned: &line.sideOffset) }
        if keyIs(key, "pat") { return firstTime(16) && read(signed: &line.pat) }
        if keyIs(key, "plen") { return firstTime(17) && read(signed: &line.plen) }
        if keyIs(key, "text") { return firstTime(18) && read(string: &line.text) }
        if keyIs(key, "data") { return firstTime(19) && read(string: &line.data) }
        if keyIs(key, "disp") { return firstTime(20) && read(string: &line.disp) }
        if keyIs(key, "hold") { return firstTime(21) && read(unsigned: &line.hold) }
        if keyIs(key, "violations") { return firstTime(22) && read(violations: &line.violations) }
        if keyIs(key, "compressed") { return firstTime(23) && read(bool: &line.compressed) }
        if keyIs(key, "inflated") { return firstTime(24) && read(string: &line.inflated) }
        if keyIs(key, "inflatedData") { return firstTime(25) && read(string: &line.inflatedData) }
        if keyIs(key, "inflateError") { return firstTime(26) && read(string: &line.inflateError) }
        if keyIs(key, "typeByte") { return firstTime(27) && read(signed: &line.typeByte) }
        if keyIs(key, "declared") { return firstTime(28) && read(unsigned: &line.declared) }
        if keyIs(key, "complete") { return firstTime(29) && read(bool: &line.complete) }
        if keyIs(key, "framing") { return firstTime(30) && read(string: &line.framing) }
        // Other lines.
        if keyIs(key, "format") { return firstTime(31) && read(string: &line.format) }
        if keyIs(key, "version") { return firstTime(32) && read(signed: &line.version) }
        if keyIs(key, "wstap") { return firstTime(33) && read(string: &line.wstap) }
        if keyIs(key, "mode") { return firstTime(34) && read(string: &line.mode) }
        if keyIs(key, "sideFile") { return firstTime(35) && read(string: &line.sideFile) }
        if keyIs(key, "client") { return firstTime(36) && read(string: &line.client) }
        if keyIs(key, "target") { return firstTime(37) && read(string: &line.target) }
        if keyIs(key, "request") { return firstTime(38) && read(string: &line.request) }
        if keyIs(key, "requestData") { return firstTime(39) && read(string: &line.requestData) }
        if keyIs(key, "response") { return firstTime(40) && read(string: &line.response) }
        if keyIs(key, "responseData") { return firstTime(41) && read(string: &line.responseData) }
        if keyIs(key, "requestBody") { return firstTime(42) && read(string: &line.requestBody) }
        if keyIs(key, "responseBody") { return firstTime(43) && read(string: &line.responseBody) }
        if keyIs(key, "subprotocol") { return firstTime(44) && read(string: &line.subprotocol) }
        if keyIs(key, "extensions") { return firstTime(45) && read(string: &line.extensions) }
        if keyIs(key, "closedBy") { return firstTime(46) && read(string: &line.closedBy) }
        if keyIs(key, "clientCode") { return firstTime(47) && read(signed: &line.clientCode) }
        if keyIs(key, "serverCode") { return firstTime(48) && read(signed: &line.serverCode) }
        if keyIs(key, "reason") { return firstTime(49) && read(string: &line.reason) }
        if keyIs(key, "clean") { return firstTime(50) && read(bool: &line.clean) }
        if keyIs(key, "error") { return firstTime(51) && read(string: &line.error) }
        if keyIs(key, "message") { return firstTime(52) && read(string: &line.message) }
        if keyIs(key, "redecoded") { return firstTime(53) && read(bool: &line.redecoded) }
        if keyIs(key, "inflateKept") { return firstTime(54) && read(signed: &line.inflateKept) }
        if keyIs(key, "inflatedLength") { return firstTime(55) && read(signed: &line.inflatedLength) }
        // A key no line type has: `JSONDecoder` would skip it; so does this, if it is a plain value.
        return skipScalar()
    }

    /// Notes that known key number `bit` is read; `false` if it was before.
    private mutating func firstTime(_ bit: Int) -> Bool {
        let mask: UInt64 = 1 << UInt64(bit)
        guard keysSeen & mask == 0 else { return false }
        keysSeen |= mask
        return true
    }

    // MARK: - Values

    /// Stores a value read into its field; `false` (give up) when none could be read.
    private func store<Value>(_ value: Value?, in field: inout Value?) -> Bool {
        guard let value else { return false }
        field = value
        return true
    }

    private mutating func read(string field: inout String?) -> Bool { store(string(), in: &field) }

    private mutating func read(bool field: inout Bool?) -> Bool { store(boolean(), in: &field) }

    private mutating func read(unsigned field: inout UInt64?) -> Bool { store(unsignedInteger(), in: &field) }

    private mutating func read(signed field: inout Int?) -> Bool { store(signedInteger(), in: &field) }

    /// `true` or `false`.
    private mutating func boolean() -> Bool? {
        if take("true") { return true }
        if take("false") { return false }
        return nil
    }

    /// An integer with an optional minus sign that fits an `Int`.
    private mutating func signedInteger() -> Int? {
        let negative = take(UInt8(ascii: "-"))
        guard let magnitude = unsignedInteger() else { return nil }
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { return nil }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int.max) else { return nil }
        return Int(magnitude)
    }

    /// Digits with no sign, fraction or exponent (JSON allows no leading zeros); `nil` on overflow.
    private mutating func unsignedInteger() -> UInt64? {
        let start = index
        var value: UInt64 = 0
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index &+= 1
        }
        let digits = index - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        // An integer field given a fraction or an exponent: left to `JSONDecoder`.
        if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            return nil
        }
        return value
    }

    /// A non-negative decimal number such as the writer's times (`1764000000.123456`), read exactly: the
    /// digits as an integer below 2^53 divided by a power of ten up to 10^22, both exact in a `Double`, so
    /// the one rounding of the division gives the correctly rounded value, as `JSONDecoder` would. Other
    /// numbers are left to `JSONDecoder`.
    private mutating func read(double field: inout Double?) -> Bool {
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        let start = index
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
            digits &+= 1
            index &+= 1
        }
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return false }
        if take(UInt8(ascii: ".")) {
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                digits &+= 1
                fractionDigits &+= 1
                index &+= 1
            }
            guard fractionDigits > 0 else { return false }
        }
        if let next = peek(), next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return false }
        // Up to 15 digits always fit below 2^53; more may not have been kept exactly above.
        guard digits <= 15 || (digits <= 19 && mantissa < 1 << 53), fractionDigits <= 22 else { return false }
        field = Double(mantissa) / Self.powersOfTen[fractionDigits]
        return true
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A JSON string: its bytes copied between escapes, escapes decoded; `nil` for invalid UTF-8, control
    /// characters, malformed escapes and unpaired surrogates.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        // The common case: no escape at all, the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let value = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index &+= 1
                return value
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            index &+= 1
        }
        guard index < bytes.count else { return nil }
        var unescaped = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index &+= 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: unescaped, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { return nil }
                index &+= 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escape)
                case UInt8(ascii: "b"): unescaped.append(0x08)
                case UInt8(ascii: "f"): unescaped.append(0x0C)
                case UInt8(ascii: "n"): unescaped.append(0x0A)
                case UInt8(ascii: "r"): unescaped.append(0x0D)
                case UInt8(ascii: "t"): unescaped.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    unescaped.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            default:
                if byte < 0x20 { return nil }
                unescaped.append(byte)
            }
        }
        return nil
    }

    /// The scalar of a `\uXXXX` escape (the `\u` read), with its low surrogate if it is a high one.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let first = hexQuad() else { return nil }
        switch first {
        case 0xD800..<0xDC00:
            guard take("\\u"), let second = hexQuad(), (0xDC00..<0xE000).contains(second) else { return nil }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        case 0xDC00..<0xE000:
            return nil
        default:
            return Unicode.Scalar(first)
        }
    }

    private mutating func hexQuad() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index &+= 1
        }
        return value
    }

    /// `[{"kind":"…","detail":"…"},…]`, each `detail` optional.
    private mutating func read(violations field: inout [RecordingLine.ViolationRecord]?) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        var records: [RecordingLine.ViolationRecord] = []
        if !take(UInt8(ascii: "]")) {
            repeat {
                guard take(UInt8(ascii: "{")) else { return false }
                var kind: String?
                var detail: String?
                if !take(UInt8(ascii: "}")) {
                    repeat {
                        guard let key = keyBytes(), take(UInt8(ascii: ":")) else { return false }
                        if take("null") { continue }
                        if keyIs(key, "kind") {
                            guard read(string: &kind) else { return false }
                        } else if keyIs(key, "detail") {
                            guard read(string: &detail) else { return false }
                        } else {
                            guard skipScalar() else { return false }
                        }
                    } while take(UInt8(ascii: ","))
                    guard take(UInt8(ascii: "}")) else { return false }
                }
                // A violation without its kind: `JSONDecoder` says so.
                guard let kind else { return false }
                records.append(RecordingLine.ViolationRecord(kind: kind, detail: detail))
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "]")) else { return false }
        }
        field = records
        return true
    }

    /// Passes over a string, number or literal of a key no line has.
    private mutating func skipScalar() -> Bool {
        guard let byte = peek() else { return false }
        switch byte {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "t"):
            return take("true")
        case UInt8(ascii: "f"):
            return take("false")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return skipNumber()
        default:
            return false
        }
    }

    /// Passes over a number as JSON's grammar has it: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() -> Bool {
        _ = take(UInt8(ascii: "-"))
        guard let first = peek(), Self.isDigit(first) else { return false }
        index &+= 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if take(UInt8(ascii: ".")) {
            guard let next = peek(), Self.isDigit(next) else { return false }
            skipDigits()
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard let next = peek(), Self.isDigit(next) else { return false }
            skipDigits()
        }
        return true
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { index &+= 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
