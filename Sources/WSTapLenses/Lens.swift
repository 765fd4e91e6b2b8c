/// Reads the messages of one application protocol (Socket.IO, MQTT, JSON-RPC, ...). A lens is pure: it
/// recognises connections and makes a decoder per connection, which reads messages into views. No I/O.
///
/// Which lens reads a connection: the first (in ``LensRegistry/all``) that claims it by its subprotocol,
/// else by its URL, else by its first messages; or the one the user forces.
public protocol Lens: Sendable {
    /// The name users force it by (`--lens socketio`) and JSON events carry.
    var name: String { get }
    /// Claims a connection by its agreed subprotocol.
    func claims(subprotocol: String) -> Bool
    /// Claims a connection by its URL (path and query), when no lens claimed its subprotocol.
    func claims(url connection: LensConnection) -> Bool
    /// Claims a connection by one of its first messages, when none claimed it by subprotocol or URL.
    func claims(firstMessage message: LensMessage) -> Bool
    /// A decoder for one connection (its state: packets that span messages, attachments that follow).
    func decoder(for connection: LensConnection) -> any LensDecoder
}

extension Lens {
    /// Most lenses have no subprotocol.
    public func claims(subprotocol: String) -> Bool { false }
    /// Most lenses have no URL of their own.
    public func claims(url connection: LensConnection) -> Bool { false }
}

/// A lens's reader of one connection's messages, in order, both directions.
public protocol LensDecoder: Sendable {
    /// The views of one message: usually one; none while the message waits for more (a packet that
    /// continues in the next message, binary attachments still to come); several when the message holds
    /// several packets (MQTT) or a batch (JSON-RPC).
    mutating func decode(_ message: LensMessage) -> [LensView]

    /// The views of a message of which only the start was kept (the capture limit): by default, that it
    /// does not parse.
    mutating func cut(_ message: LensMessage) -> [LensView]
}

extension LensDecoder {
    /// A message cut short does not parse.
    public mutating func cut(_ message: LensMessage) -> [LensView] {
        [.doesNotParse("only the start of the message was kept (the capture limit)")]
    }
}
