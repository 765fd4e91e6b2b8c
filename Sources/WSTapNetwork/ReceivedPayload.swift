/// A received message as the caller asked for it: text or bytes.
public enum ReceivedPayload: Hashable, Sendable {
    /// A text message (or, with ``Kind/text``, any message read as UTF-8, invalid bytes repaired).
    case text(String)
    /// A binary message (or, with ``Kind/binary``, any message's bytes).
    case bytes([UInt8])

    /// How to hand a message over.
    public enum Kind: Hashable, Sendable {
        /// Text messages as text, binary ones as bytes.
        case auto
        /// Every message as text (`'text`).
        case text
        /// Every message as bytes (`'binary`).
        case binary
    }
}
