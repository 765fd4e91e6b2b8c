/// Reads big-endian numbers from the bytes of one binary-encoded value (MessagePack, CBOR); every read that
/// runs past the end throws.
struct BinaryValueReader {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index >= bytes.count }
    var remaining: Int { bytes.count - index }

    mutating func byte() throws(Problem) -> UInt8 {
        guard index < bytes.count else { throw Problem(description: "the message ends inside a value") }
        defer { index += 1 }
        return bytes[index]
    }

    /// An unsigned integer of `count` bytes (1, 2, 4 or 8), big-endian.
    mutating func unsigned(_ count: Int) throws(Problem) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<count { value = value << 8 | UInt64(try byte()) }
        return value
    }

    mutating func take(_ count: UInt64) throws(Problem) -> [UInt8] {
        guard count <= UInt64(remaining) else {
            throw Problem(description: "a length of \(count) bytes runs past the end of the message")
        }
        let end = index + Int(count)
        defer { index = end }
        return Array(bytes[index..<end])
    }

    /// A count of elements that each take at least one byte: more than the bytes left cannot be.
    func checkCount(_ count: UInt64, each: UInt64 = 1) throws(Problem) {
        guard count <= UInt64(remaining) / each else {
            throw Problem(description: "\(count) elements cannot fit in the \(remaining) bytes left")
        }
    }

    /// A number as JSON would write it; infinities and NaN (which JSON has not) as strings.
    static func number(_ value: Double) -> LensValue {
        guard value.isFinite else { return .string(value.isNaN ? "NaN" : value > 0 ? "Infinity" : "-Infinity") }
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number("\(value)")
    }

    /// Text, or bytes shown as hex when they are not UTF-8.
    static func text(_ bytes: [UInt8]) -> LensValue {
        String(validating: bytes, as: UTF8.self).map(LensValue.string) ?? .bytes(bytes)
    }

    /// A map key as an object member's name: text as it is, anything else as its JSON.
    static func key(_ value: LensValue) -> String {
        value.stringValue ?? value.json
    }
}

extension BinaryValueReader {
    /// A view of every value in `message`, one after the other, each read by `next` (nil: not a value); the
    /// first that does not read ends the list with a view saying where and why (`format` names the encoding).
    static func views(
        of message: LensMessage, format: String, _ next: (inout BinaryValueReader) throws -> LensValue?
    ) -> [LensView] {
        var reader = BinaryValueReader(message.bytes)
        var views: [LensView] = []
        repeat {
            do {
                guard let value = try next(&reader) else {
                    throw Problem(description: "a break outside an indefinite-length item")
                }
                views.append(JSONLens.view(of: value))
            } catch {
                views.append(.doesNotParse("\(format) at byte \(reader.index): \(error)"))
                break
            }
        } while !reader.isAtEnd
        return views
    }
}
