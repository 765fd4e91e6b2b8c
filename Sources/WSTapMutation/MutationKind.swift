/// One way `wstap fuzz` changes what a peer sends: at the frame level (the header's bits, lengths and masks,
/// how messages are cut into frames) or at the payload level (the bytes a message carries).
public enum MutationKind: String, CaseIterable, Hashable, Sendable {
    /// RSV1-3 set on a frame (no extension agreed).
    case reservedBits = "rsv"
    /// A reserved opcode (3-7, 11-15).
    case reservedOpcode = "opcode"
    /// The FIN bit flipped.
    case fin = "fin"
    /// A declared length that differs from the payload's: shorter, longer, or with the top bit set.
    case lyingLength = "length-lie"
    /// A length in a longer encoding than needed (16 or 64 bits for a short payload).
    case lengthEncoding = "length-encoding"
    /// Masking the wrong way round: a client frame unmasked, a server frame masked.
    case wrongMasking = "mask"
    /// A message cut into fragments.
    case fragment = "fragment"
    /// Fragments out of order: a continuation with no message open, a new message inside an open one.
    case interleave = "interleave"
    /// A ping, pong or close between the fragments of a message.
    case controlMidMessage = "control-mid-message"
    /// A control frame that breaks the rules: more than 125 bytes, or fragmented.
    case badControl = "bad-control"
    /// A close frame with an odd body: 1 byte, a code that may not be sent, a reason that is not UTF-8.
    case closeBody = "close-body"
    /// A frame sent twice.
    case duplicate = "duplicate"
    /// A frame left out.
    case drop = "drop"
    /// The bytes written in small pieces.
    case smallWrites = "small-writes"
    /// Bits of a payload flipped.
    case bitFlip = "bit-flip"
    /// A payload of a size at an edge (0, 125, 126, 127, 65535, 65536...).
    case boundarySize = "boundary-size"
    /// A byte sequence that is not UTF-8 in a text message.
    case invalidUTF8 = "invalid-utf8"
    /// NUL and other control characters in a text message.
    case controlCharacters = "control-chars"
    /// JSON nested deeply (`[[[[...]]]]`).
    case deepJSON = "deep-json"
    /// A long string (64 KiB to 1 MiB) in a JSON message.
    case longString = "long-string"

    /// Whether the mutation works on frames (headers, fragmentation, writes) rather than on payload bytes.
    public var isFrameLevel: Bool {
        switch self {
        case .bitFlip, .boundarySize, .invalidUTF8, .controlCharacters, .deepJSON, .longString: return false
        default: return true
        }
    }
}
