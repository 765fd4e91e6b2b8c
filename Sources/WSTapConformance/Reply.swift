public import WSTapCore

/// What the endpoint under test sends back for what it received: an echoed message or a pong.
public enum Reply: Hashable, Sendable, CustomStringConvertible {
    case message(Opcode, [UInt8])
    case pong([UInt8])

    /// An echoed text message.
    public static func text(_ text: String) -> Reply { .message(.text, Array(text.utf8)) }

    /// A pong with this text as its payload.
    public static func pong(_ text: String) -> Reply { .pong(Array(text.utf8)) }

    /// Whether this is a data message (not a pong).
    public var isMessage: Bool {
        if case .message = self { return true }
        return false
    }

    /// "text \"hello\"", "pong 3 bytes".
    public var description: String {
        switch self {
        case .message(let opcode, let bytes): return "\(opcode.name) \(BytesText.describe(bytes))"
        case .pong(let bytes): return "pong \(BytesText.describe(bytes))"
        }
    }
}

/// Short descriptions of payloads for reports: short text quoted, short binary in hex, else the size.
enum BytesText {
    static func describe(_ bytes: [UInt8]) -> String {
        if bytes.count <= 40 {
            if let text = String(validating: bytes, as: UTF8.self),
                text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
            {
                return "\"\(text)\""
            }
            return bytes.isEmpty ? "(empty)" : bytes.map { hex($0) }.joined(separator: " ")
        }
        return "\(bytes.count) bytes"
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
