/// Pretty-prints JSON (two-space indent, members in their original order, strings and numbers
/// exactly as written). Returns `nil` when the bytes are not one JSON value.
enum JSONPretty {
    static func lines(_ bytes: [UInt8], maxDepth: Int = 64) -> [String]? {
        var printer = Printer(bytes: bytes, maxDepth: maxDepth)
        guard printer.value(depth: 0) else { return nil }
        printer.skipSpace()
        guard printer.index == bytes.count else { return nil }
        printer.flush()
        return printer.lines
    }

    private struct Printer {
        let bytes: [UInt8]
        let maxDepth: Int
        var index = 0
        var lines: [String] = []
        var line: [UInt8] = []

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func flush() {
            lines.append(String(decoding: line, as: UTF8.self))
            line = []
        }

        mutating func newline(_ depth: Int) {
            flush()
            line.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) -> Bool {
            skipSpace()
            guard index < bytes.count, depth < maxDepth else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), members: true, depth: depth)
            case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), members: false, depth: depth)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func container(close: UInt8, members: Bool, depth: Int) -> Bool {
            line.append(bytes[index])
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == close {
                line.append(close)
                index += 1
                return true
            }
            while true {
                newline(depth + 1)
                if members {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), string() else { return false }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                    index += 1
                    line.append(contentsOf: Array(": ".utf8))
                }
                guard value(depth: depth + 1) else { return false }
                skipSpace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    line.append(UInt8(ascii: ","))
                    index += 1
                    continue
                }
                guard bytes[index] == close else { return false }
                index += 1
                newline(depth)
                line.append(close)
                return true
            }
        }

        mutating func string() -> Bool {
            let start = index
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte < 0x20 { return false }
                index += 1
                if byte == UInt8(ascii: "\"") {
                    line.append(contentsOf: bytes[start..<index])
                    return true
                }
            }
            return false
        }

        mutating func literal(_ word: String) -> Bool {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected
            else { return false }
            line.append(contentsOf: expected)
            index += expected.count
            return true
        }

        mutating func number() -> Bool {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, isNumberByte(bytes[index]) { index += 1 }
            guard index > digitsStart, bytes[digitsStart] >= 0x30, bytes[digitsStart] <= 0x39 else { return false }
            line.append(contentsOf: bytes[start..<index])
            return true
        }

        func isNumberByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        }
    }
}
