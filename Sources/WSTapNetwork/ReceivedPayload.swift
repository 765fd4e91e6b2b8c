/// A received message as the caller asked for it: text or bytes.
public enum ReceivedPayload: Hashable, Sendable {
    case text(String)
    case bytes([UInt8])

    /// How to hand a message over.
    public enum Kind: Hashable, Sendable {
        /// Text messages as text, binary ones as bytes.
        case auto
        case text
        case binary
    }
}
