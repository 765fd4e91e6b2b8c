/// A minimal JSON object writer: keys in the order written, values escaped per RFC 8259.
public struct JSONWriter: Sendable {
    private var text = "{"
    private var isEmpty = true

    /// An empty object.
    public init() {}

    private mutating func key(_ name: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        text += Self.string(name) + ":"
    }

    /// Adds a string member.
    public mutating func add(_ name: String, _ value: String) {
        key(name)
        text += Self.string(value)
    }

    /// Adds a `true` or `false` member.
    public mutating func add(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    /// Adds an integer member, written in decimal.
    public mutating func add(_ name: String, _ value: some BinaryInteger) {
        key(name)
        text += String(value)
    }

    /// Adds seconds (since the epoch) as a plain decimal number with microsecond precision:
    /// `1764084227.123456`.
    public mutating func add(_ name: String, seconds: Double) {
        key(name)
        guard seconds.isFinite, seconds >= 0, seconds < 1e15 else {
            text += "0"
            return
        }
        let micros = UInt64((seconds * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        text += String(micros / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// Adds a value that is already JSON (an object or array written elsewhere).
    public mutating func addRaw(_ name: String, _ json: String) {
        key(name)
        text += json
    }

    /// Adds a `null` member.
    public mutating func addNull(_ name: String) {
        key(name)
        text += "null"
    }

    /// The finished object.
    public var json: String { text + "}" }

    /// A JSON array of already-written JSON values.
    public static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ",") + "]"
    }

    /// A JSON string literal.
    public static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            TextEscaping.json.append(scalar, to: &out)
        }
        return out + "\""
    }
}
