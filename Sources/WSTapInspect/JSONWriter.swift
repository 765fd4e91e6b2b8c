public import WSTapCore

/// A minimal JSON object writer: keys in the order written, values escaped per RFC 8259. It writes UTF-8
/// bytes into one buffer (strings escaped in runs, bytes as hex straight from a table), as `--jsonl` prints
/// a line per frame and message.
public struct JSONWriter: Sendable {
    private var bytes: [UInt8]
    private var isEmpty = true

    /// An empty object.
    public init() {
        bytes = []
        bytes.reserveCapacity(256)
        bytes.append(UInt8(ascii: "{"))
    }

    private mutating func key(_ name: String) {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        JSONStringBytes.append(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Adds a string member.
    public mutating func add(_ name: String, _ value: String) {
        key(name)
        JSONStringBytes.append(value, to: &bytes)
    }

    /// Adds a string member from bytes that are valid UTF-8 (a payload), without making a `String` of them.
    public mutating func add(_ name: String, utf8 value: UnsafeRawBufferPointer) {
        key(name)
        JSONStringBytes.append(utf8: value, to: &bytes)
    }

    /// Adds bytes as a string of lowercase hexadecimal digits.
    public mutating func add(_ name: String, hex value: some Sequence<UInt8>) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        LowercaseHex.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Adds the bytes at `value` as a string of lowercase hexadecimal digits.
    public mutating func add(_ name: String, hex value: UnsafeRawBufferPointer) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        LowercaseHex.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Adds a `true` or `false` member.
    public mutating func add(_ name: String, _ value: Bool) {
        key(name)
        append(value ? "true" : "false")
    }

    /// Adds an integer member, written in decimal.
    public mutating func add(_ name: String, _ value: some BinaryInteger) {
        key(name)
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimal(UInt64(clamping: value.magnitude))
    }

    /// Adds seconds (since the epoch) as a plain decimal number with microsecond precision:
    /// `1764084227.123456`.
    public mutating func add(_ name: String, seconds: Double) {
        key(name)
        guard seconds.isFinite, seconds >= 0, seconds < 1e15 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        let micros = UInt64((seconds * 1_000_000).rounded())
        appendDecimal(micros / 1_000_000)
        bytes.append(UInt8(ascii: "."))
        var fraction = micros % 1_000_000
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            for index in stride(from: 5, through: 0, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
            }
            bytes.append(contentsOf: buffer)
        }
    }

    /// Adds a value that is already JSON (an object or array written elsewhere).
    public mutating func addRaw(_ name: String, _ json: String) {
        key(name)
        append(json)
    }

    /// Adds a value that is already JSON, as UTF-8 bytes.
    public mutating func addRaw(_ name: String, bytes json: [UInt8]) {
        key(name)
        bytes.append(contentsOf: json)
    }

    /// Adds a value that `body` writes as JSON (UTF-8) straight into the buffer.
    public mutating func addRaw(_ name: String, writing body: (inout [UInt8]) -> Void) {
        key(name)
        body(&bytes)
    }

    /// Adds an object member written by `body` into the same buffer.
    public mutating func addObject(_ name: String, _ body: (inout JSONWriter) -> Void) {
        key(name)
        var inner = JSONWriter(continuing: bytes)
        bytes = []
        body(&inner)
        inner.bytes.append(UInt8(ascii: "}"))
        bytes = inner.bytes
    }

    /// A writer that goes on after `bytes`, starting an object there.
    private init(continuing bytes: [UInt8]) {
        self.bytes = bytes
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// Adds a `null` member.
    public mutating func addNull(_ name: String) {
        key(name)
        append("null")
    }

    /// The finished object.
    public var json: String {
        var text = String(decoding: bytes, as: UTF8.self)
        text.append("}")
        return text
    }

    /// The finished object and a line feed, as UTF-8 bytes: a line to print.
    public var line: [UInt8] {
        var line = bytes
        line.append(UInt8(ascii: "}"))
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// The finished object and a line feed, taking the buffer (no copy).
    public consuming func finishLine() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func appendDecimal(_ value: UInt64) {
        guard value >= 10 else {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value
            var start = buffer.count
            while rest > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// A JSON array of already-written JSON values.
    public static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ",") + "]"
    }

    /// A JSON string literal.
    public static func string(_ value: String) -> String {
        var out: [UInt8] = []
        JSONStringBytes.append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
