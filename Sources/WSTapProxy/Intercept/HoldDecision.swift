public import NIOCore

/// What becomes of a held frame.
public enum HoldDecision: Sendable {
    /// Send it on unchanged.
    case forward
    /// The receiver never gets it.
    case drop
    /// Send these bytes (one or more frames, valid or not) in its place.
    case replace(ByteBuffer)
}
