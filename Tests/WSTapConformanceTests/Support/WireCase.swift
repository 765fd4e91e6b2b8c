import Testing
import WSTapCore

/// What the endpoint under test sends back for what it received: an echoed message or a pong.
enum Reply: Hashable, Sendable, CustomStringConvertible {
    case message(Opcode, [UInt8])
    case pong([UInt8])

    static func text(_ text: String) -> Reply { .message(.text, Array(text.utf8)) }

    var isMessage: Bool {
        if case .message = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .message(let opcode, let bytes):
            let shown = bytes.count <= 40 ? "\(bytes)" : "\(bytes.count) bytes"
            return "\(opcode.name) \(shown)"
        case .pong(let bytes): return "pong \(bytes)"
        }
    }
}

/// What a conformance case expects of the endpoint under test.
enum Expectation: Sendable {
    /// These replies (echoes in order, pongs in order); the connection stays open and then closes
    /// cleanly when the raw peer starts the closing handshake.
    case replies([Reply])
    /// These replies, then a close frame echoing this code (`nil`: an empty close body) in answer to
    /// the close frame in the case; then the server ends TCP.
    case closeReply(CloseCode?, after: [Reply])
    /// These replies, then the endpoint fails the connection: a close frame with this code, the end of
    /// TCP, and nothing answered afterwards. Every message before the violation is delivered and echoed
    /// before the close frame, even when it arrived in the same read as the violation (Autobahn's strict
    /// behaviour: "fail fast, but not before what came first").
    case failure(CloseCode, after: [Reply])
}

/// One case of the conformance table: frames a raw peer sends, and what our endpoint must do.
struct WireCase: Sendable, CustomTestStringConvertible {
    /// The Autobahn-like number of the case, for reports (`2.5`).
    var id: String
    var name: String
    /// The frames, unmasked as written here (a raw client masks them on the way out).
    var frames: [FrameSpec]
    var expectation: Expectation
    /// Writes the frames' bytes in pieces of this size (one TCP segment each) instead of all at once.
    var chop: Int?

    init(_ id: String, _ name: String, _ frames: [FrameSpec], _ expectation: Expectation, chop: Int? = nil) {
        self.id = id
        self.name = name
        self.frames = frames
        self.expectation = expectation
        self.chop = chop
    }

    var testDescription: String { "\(id) \(name)" }
}

/// Short names for the frames the tables are made of.
extension FrameSpec {
    static func text(_ bytes: [UInt8], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .text, payload: bytes)
    }

    static func binary(_ bytes: [UInt8], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .binary, payload: bytes)
    }

    static func continuation(_ bytes: [UInt8], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .continuation, payload: bytes)
    }

    static func continuation(_ text: String, fin: Bool = true) -> FrameSpec {
        continuation(Array(text.utf8), fin: fin)
    }

    static func ping(_ bytes: [UInt8] = [], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .ping, payload: bytes)
    }

    static func ping(_ text: String) -> FrameSpec {
        ping(Array(text.utf8))
    }

    static func pong(_ bytes: [UInt8] = [], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .pong, payload: bytes)
    }

    /// A close frame with exactly these body bytes.
    static func close(body: [UInt8]) -> FrameSpec {
        FrameSpec(opcode: .close, payload: body)
    }
}
