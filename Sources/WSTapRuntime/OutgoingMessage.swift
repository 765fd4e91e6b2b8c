import WSTapCore
import WSTapInspect

/// A line of `wstap connect`'s standard input (or of its preamble) as the message it sends: `hex:` followed
/// by hexadecimal digits (spaces, `:` and `-` allowed) is a binary message of those bytes, `b64:` followed by
/// base64 a binary message of the bytes it encodes, `text:` a text message of the rest (for a text that
/// starts with one of these prefixes), and any other line a message of the default type (text, or binary
/// with `--binary`).
struct OutgoingMessage: Sendable, Hashable {
    /// The payload.
    var bytes: [UInt8]
    /// Text or binary.
    var opcode: Opcode

    /// The message a line asks for.
    /// - Throws: ``CommandFailure`` saying why a `hex:` or `b64:` line is not what it says.
    init(line: String, defaultOpcode: Opcode) throws(CommandFailure) {
        if line.hasPrefix("hex:") {
            do {
                bytes = try HexText.parse(line.dropFirst(4))
            } catch {
                throw CommandFailure("'\(Self.shown(line))': \(error.description)")
            }
            opcode = .binary
        } else if line.hasPrefix("b64:") {
            let text = line.dropFirst(4).filter { $0 != " " }
            guard let decoded = Base64.decode(String(text)) else {
                throw CommandFailure("'\(Self.shown(line))': not base64 (A-Z a-z 0-9 + /, padded with = to 4)")
            }
            bytes = decoded
            opcode = .binary
        } else if line.hasPrefix("text:") {
            bytes = Array(line.utf8.dropFirst(5))
            opcode = .text
        } else {
            bytes = Array(line.utf8)
            opcode = defaultOpcode
        }
    }

    /// A line shortened for an error message.
    private static func shown(_ line: String) -> String {
        line.count > 40 ? line.prefix(40) + "..." : line
    }
}
