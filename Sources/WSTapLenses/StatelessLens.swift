/// A lens whose messages stand alone, with no state between them (JSON-RPC, GraphQL over WebSocket, Action
/// Cable...): it only says how to read one message, and its decoder reads each with that.
public protocol StatelessLens: Lens {
    /// The views of one message.
    static func decode(_ message: LensMessage) -> [LensView]
}

extension StatelessLens {
    /// A decoder that reads every message with ``decode(_:)``.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        StatelessDecoder(read: Self.decode)
    }
}

/// The decoder of a ``StatelessLens``.
struct StatelessDecoder: LensDecoder {
    let read: @Sendable (LensMessage) -> [LensView]

    mutating func decode(_ message: LensMessage) -> [LensView] {
        read(message)
    }
}
