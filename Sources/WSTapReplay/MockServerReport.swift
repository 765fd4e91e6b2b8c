/// Something a mock server has to say about a connection it served.
public struct MockServerReport: Hashable, Sendable, CustomStringConvertible {
    /// What a report is about.
    public enum Kind: String, Hashable, Sendable {
        /// A client connected and the handshake was answered.
        case accepted
        /// The client's handshake was refused.
        case rejected
        /// The recording cannot be played exactly as recorded to this client (an extension it did not
        /// offer): what is played instead.
        case notice
        /// A client message differs from the recorded one (``MockServerOptions/Matching/exact``).
        case mismatch
        /// The client was silent for the idle timeout, so the mock server closed the connection.
        case idle
        /// The connection ended; the text says how much of the recording was played.
        case finished
    }

    /// What the report is about.
    public var kind: Kind
    /// The mock server's number for the connection (1, 2, ...).
    public var connection: Int
    /// The details, in words.
    public var text: String

    /// A report about connection number `connection`.
    public init(kind: Kind, connection: Int, text: String) {
        self.kind = kind
        self.connection = connection
        self.text = text
    }

    /// `#1 accepted: ...`: the connection, the kind and the text.
    public var description: String { "#\(connection) \(kind.rawValue): \(text)" }
}
