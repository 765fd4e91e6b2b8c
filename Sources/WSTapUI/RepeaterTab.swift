public import WSTapCore
import WSTapInspect

/// How the repeater shows and takes the payload being edited.
public enum RepeaterMode: String, Hashable, Sendable, CaseIterable {
    /// The payload as text (UTF-8).
    case text
    /// The payload as hexadecimal digits (spaces allowed).
    case hex
    /// Text that must be JSON: shown pretty-printed below, and checked before it is sent.
    case json

    /// Text goes to JSON when the payload is JSON (else hex), JSON to hex, hex to text.
    func next(isJSON: Bool) -> RepeaterMode {
        switch self {
        case .text: return isJSON ? .json : .hex
        case .json: return .hex
        case .hex: return .text
        }
    }
}

/// One repeater tab (`y` on a frame or message): a message to edit and send again on its connection, the
/// sends made from it, and what came back after each.
public struct RepeaterTab: Hashable, Sendable {
    /// One send: what went, and where the list stood then (the replies are the frames after it).
    public struct Send: Hashable, Sendable {
        /// The message's data as sent.
        public var payload: [UInt8]
        /// Its opcode.
        public var opcode: Opcode
        /// The list's end sequence number when it was sent: frames from here on came after it.
        public var afterSequence: Int
    }

    /// The connection it sends on.
    public var connection: UInt64
    /// The direction it sends in (the replies come the other way).
    public var direction: TrafficDirection
    /// `text`, `binary` or a control opcode.
    public var opcode: Opcode
    /// The payload as edited, in ``mode``'s form.
    public internal(set) var text: String
    /// How the payload is edited.
    public internal(set) var mode: RepeaterMode
    /// The sends, oldest first (bounded).
    public internal(set) var sends: [Send] = []
    /// While Up/Down walk the history: the send whose payload is in the editor.
    var historyIndex: Int?
    static let maxSends = 100

    /// A tab for a message: text when its payload is UTF-8 (JSON when it parses as JSON), hex otherwise.
    init(connection: UInt64, direction: TrafficDirection, opcode: Opcode, payload: [UInt8]) {
        self.connection = connection
        self.direction = direction
        self.opcode = opcode
        if opcode != .binary, let text = String(validating: payload, as: UTF8.self),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 })
        {
            self.text = text
            let first = payload.first { $0 != 0x20 }
            mode =
                (first == UInt8(ascii: "{") || first == UInt8(ascii: "[")) && JSONPretty.lines(payload) != nil
                ? .json : .text
        } else {
            text = HexText.format(payload, separator: " ")
            mode = .hex
        }
    }

    /// The payload the editor holds, or why it holds none (hex that is not hex, JSON that does not parse).
    func payload() -> Result<[UInt8], InputError> {
        switch mode {
        case .text:
            return .success(Array(text.utf8))
        case .hex:
            do {
                return .success(try HexText.parse(text))
            } catch {
                return .failure(error)
            }
        case .json:
            let bytes = Array(text.utf8)
            guard JSONPretty.lines(bytes) != nil else {
                return .failure(InputError("payload", "not JSON (Tab changes to hex, then text, to send it anyway)"))
            }
            return .success(bytes)
        }
    }

    /// Changes the mode (text, JSON when it is JSON, hex), converting the editor's text (hex to and from the
    /// bytes); returns why not when the payload cannot be shown in the next mode.
    mutating func cycleMode() -> String? {
        let bytes: [UInt8]
        switch payload() {
        case .success(let parsed): bytes = parsed
        case .failure(let error):
            if mode == .json {
                mode = .hex
                text = HexText.format(Array(text.utf8), separator: " ")
                return nil
            }
            return "the payload does not change mode: \(error)"
        }
        let next = mode.next(isJSON: JSONPretty.lines(bytes) != nil)
        switch next {
        case .hex:
            text = HexText.format(bytes, separator: " ")
        case .text, .json:
            guard let decoded = String(validating: bytes, as: UTF8.self) else {
                return "the payload is not UTF-8: it stays in hex"
            }
            text = decoded
        }
        mode = next
        return nil
    }

    /// Loads a send's payload back into the editor.
    mutating func load(_ send: Send) {
        opcode = send.opcode
        if mode == .hex {
            text = HexText.format(send.payload, separator: " ")
        } else if let decoded = String(validating: send.payload, as: UTF8.self) {
            text = decoded
        } else {
            mode = .hex
            text = HexText.format(send.payload, separator: " ")
        }
    }

    /// A short name for the tab bar: the connection and the start of the payload.
    var title: String {
        let start = text.prefix(12)
        return "#\(connection) " + (start.isEmpty ? "(empty)" : String(start) + (text.count > 12 ? "…" : ""))
    }
}
