/// A WebSocket frame opcode (RFC 6455 section 5.2): any of the 16 four-bit values.
///
/// The named values are static members; the reserved ones (3-7 and 0xB-0xF) stay representable so
/// that an inspector can show them and a workbench can send them.
public struct Opcode: RawRepresentable, Hashable, Sendable {
    /// The four-bit value, 0...15.
    public let rawValue: UInt8

    /// Creates an opcode from its value; `nil` when the value does not fit in four bits.
    public init?(rawValue: UInt8) {
        guard rawValue < 16 else { return nil }
        self.rawValue = rawValue
    }

    /// Creates an opcode from the low four bits of a byte.
    public init(lowBitsOf byte: UInt8) {
        self.rawValue = byte & 0x0F
    }

    /// 0x0: a later fragment of a fragmented message.
    public static let continuation = Opcode(lowBitsOf: 0x0)
    /// 0x1: a text message (UTF-8), or its first fragment.
    public static let text = Opcode(lowBitsOf: 0x1)
    /// 0x2: a binary message, or its first fragment.
    public static let binary = Opcode(lowBitsOf: 0x2)
    /// 0x8: the closing handshake; the payload may hold a status code and a reason (see ``CloseBody``).
    public static let close = Opcode(lowBitsOf: 0x8)
    /// 0x9: a ping, answered by a pong with the same payload.
    public static let ping = Opcode(lowBitsOf: 0x9)
    /// 0xA: a pong, the answer to a ping (or an unsolicited heartbeat).
    public static let pong = Opcode(lowBitsOf: 0xA)

    /// Control frames have the high bit of the opcode set (0x8-0xF).
    public var isControl: Bool { rawValue & 0x8 != 0 }

    /// Data frames are continuation, text, binary and the reserved non-control values 3-7.
    public var isData: Bool { !isControl }

    /// Opcodes RFC 6455 reserves for future use: 3-7 and 0xB-0xF.
    public var isReserved: Bool { (3...7).contains(rawValue) || rawValue >= 0xB }

    /// A short lowercase name: `text`, `binary`, ... and `reserved-N` for the others.
    public var name: String {
        switch rawValue {
        case 0x0: return "continuation"
        case 0x1: return "text"
        case 0x2: return "binary"
        case 0x8: return "close"
        case 0x9: return "ping"
        case 0xA: return "pong"
        default: return "reserved-\(rawValue)"
        }
    }

    /// Parses a name (`text`, `ping`, `cont`...) or a number 0-15 (decimal or `0x` hexadecimal).
    public init?(name: String) {
        switch name.lowercased() {
        case "continuation", "cont": self = .continuation
        case "text": self = .text
        case "binary", "bin": self = .binary
        case "close": self = .close
        case "ping": self = .ping
        case "pong": self = .pong
        default:
            let lowered = name.lowercased()
            let value: UInt8?
            if lowered.hasPrefix("0x") {
                value = UInt8(lowered.dropFirst(2), radix: 16)
            } else if lowered.hasPrefix("reserved-") {
                value = UInt8(lowered.dropFirst("reserved-".count))
            } else {
                value = UInt8(lowered)
            }
            guard let value, let opcode = Opcode(rawValue: value) else { return nil }
            self = opcode
        }
    }
}

extension Opcode: CustomStringConvertible {
    /// The opcode's ``name``: `text`, `close`, `reserved-3`...
    public var description: String { name }
}
