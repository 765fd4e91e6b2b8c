public import WSTapCore

/// Short names for the frames the case tables are made of.
extension FrameSpec {
    /// A text frame with these payload bytes (valid UTF-8 or not).
    public static func text(_ bytes: [UInt8], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .text, payload: bytes)
    }

    /// A binary frame.
    public static func binary(_ bytes: [UInt8], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .binary, payload: bytes)
    }

    /// A continuation frame.
    public static func continuation(_ bytes: [UInt8], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .continuation, payload: bytes)
    }

    /// A continuation frame with text.
    public static func continuation(_ text: String, fin: Bool = true) -> FrameSpec {
        continuation(Array(text.utf8), fin: fin)
    }

    /// A ping frame.
    public static func ping(_ bytes: [UInt8] = [], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .ping, payload: bytes)
    }

    /// A ping frame with text.
    public static func ping(_ text: String) -> FrameSpec {
        ping(Array(text.utf8))
    }

    /// A pong frame.
    public static func pong(_ bytes: [UInt8] = [], fin: Bool = true) -> FrameSpec {
        FrameSpec(fin: fin, opcode: .pong, payload: bytes)
    }

    /// A close frame with exactly these body bytes.
    public static func close(body: [UInt8]) -> FrameSpec {
        FrameSpec(opcode: .close, payload: body)
    }
}
