/// A strict JSON parser (RFC 8259) into ``LensValue``: members keep their order, numbers their text. It
/// never traps: bad input is an error that says what and where.
public enum JSONText {
    /// Why text is not JSON, and at which byte.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong.
        public var reason: String
        /// The byte offset where it went wrong.
        public var offset: Int

        /// `reason at byte N`.
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// How deep arrays and objects may nest before the parser gives up (a guard against exhausting the stack).
    public static let maximumDepth = 128

    /// The JSON value that is the whole of `bytes` (white space around it allowed).
    public static func parse(_ bytes: some Collection<UInt8>) throws(ParseError) -> LensValue {
        var parser = Parser(bytes: Array(bytes))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.offset < parser.bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// The JSON value that is the whole of `text`.
    public static func parse(_ text: String) throws(ParseError) -> LensValue {
        try parse(Array(text.utf8))
    }

    /// A JSON value at the start of `bytes`, and how many bytes it took (Socket.IO puts JSON after a prefix).
    public static func parsePrefix(_ bytes: [UInt8]) throws(ParseError) -> (LensValue, Int) {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        return (value, parser.offset)
    }

    private struct Parser {
        let bytes: [UInt8]
        var offset = 0

        func error(_ reason: String) -> ParseError {
            ParseError(reason: reason, offset: offset)
        }

        var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
        }

        mutating func literal(_ word: String, _ value: LensValue) throws(ParseError) -> LensValue {
            for expected in word.utf8 {
                guard current == expected else { throw error("expected \(word)") }
                offset += 1
            }
            return value
        }

        mutating func value(depth: Int) throws(ParseError) -> LensValue {
            guard depth < JSONText.maximumDepth else { throw error("nested deeper than \(JSONText.maximumDepth)") }
            guard let byte = current else { throw error("the text ends where a value should start") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("unexpected character \(Self.show(byte))")
            }
        }

        static func show(_ byte: UInt8) -> String {
            byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + LensValue.hex([byte])
        }

        mutating func object(depth: Int) throws(ParseError) -> LensValue {
            offset += 1
            var fields: [LensField] = []
            skipSpace()
            if current == UInt8(ascii: "}") {
                offset += 1
                return .object(fields)
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
                let name = try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
                offset += 1
                skipSpace()
                fields.append(LensField(name, try value(depth: depth + 1)))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): offset += 1
                case UInt8(ascii: "}"):
                    offset += 1
                    return .object(fields)
                default: throw error("expected ',' or '}' in an object")
                }
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> LensValue {
            offset += 1
            var elements: [LensValue] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                offset += 1
                return .list(elements)
            }
            while true {
                skipSpace()
                elements.append(try value(depth: depth + 1))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): offset += 1
                case UInt8(ascii: "]"):
                    offset += 1
                    return .list(elements)
                default: throw error("expected ',' or ']' in an array")
                }
            }
        }

        mutating func digits() -> Int {
            var count = 0
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                offset += 1
                count += 1
            }
            return count
        }

        mutating func number() throws(ParseError) -> LensValue {
            let start = offset
            if current == UInt8(ascii: "-") { offset += 1 }
            if current == UInt8(ascii: "0") {
                offset += 1
            } else if digits() == 0 {
                throw error("expected a digit")
            }
            if current == UInt8(ascii: ".") {
                offset += 1
                guard digits() > 0 else { throw error("expected a digit after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                offset += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
                guard digits() > 0 else { throw error("expected a digit in the exponent") }
            }
            return .number(String(decoding: bytes[start..<offset], as: UTF8.self))
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current else { throw error("the text ends inside a \\u escape") }
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw error("expected a hex digit in a \\u escape")
                }
                value = value << 4 | UInt32(digit)
                offset += 1
            }
            return value
        }

        mutating func string() throws(ParseError) -> String {
            offset += 1
            var text = ""
            var runStart = offset
            func flush(_ end: Int) throws(ParseError) {
                guard runStart < end else { return }
                guard let run = String(validating: bytes[runStart..<end], as: UTF8.self) else {
                    throw ParseError(reason: "a string is not valid UTF-8", offset: runStart)
                }
                text += run
            }
            while true {
                guard let byte = current else { throw error("the text ends inside a string") }
                switch byte {
                case UInt8(ascii: "\""):
                    try flush(offset)
                    offset += 1
                    return text
                case UInt8(ascii: "\\"):
                    try flush(offset)
                    offset += 1
                    guard let escape = current else { throw error("the text ends inside an escape") }
                    offset += 1
                    switch escape {
                    case UInt8(ascii: "\""): text += "\""
                    case UInt8(ascii: "\\"): text += "\\"
                    case UInt8(ascii: "/"): text += "/"
                    case UInt8(ascii: "b"): text += "\u{8}"
                    case UInt8(ascii: "f"): text += "\u{C}"
                    case UInt8(ascii: "n"): text += "\n"
                    case UInt8(ascii: "r"): text += "\r"
                    case UInt8(ascii: "t"): text += "\t"
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), current == UInt8(ascii: "\\"),
                            offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u")
                        {
                            let saved = offset
                            offset += 2
                            let low = try hex4()
                            if (0xDC00..<0xE000).contains(low) {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                offset = saved
                            }
                        }
                        text.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default: throw error("unknown escape \\\(Self.show(escape))")
                    }
                    runStart = offset
                default:
                    if byte < 0x20 { throw error("a control character inside a string") }
                    offset += 1
                }
            }
        }
    }
}
