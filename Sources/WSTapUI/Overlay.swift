/// A screen drawn over the frame list.
public enum Overlay: Hashable, Sendable {
    case help
    case connections
    case interceptQueue
    /// Message rates and sizes over time, the per-method table and the slowest calls (the lenses' numbers).
    case statistics
    /// A connection's opening handshake: request, response, subprotocol, extensions (`h`).
    case handshake(connection: UInt64)
    /// The repeater: messages to edit and send again, and what came back (`y`).
    case repeater
}
