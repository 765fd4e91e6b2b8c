public import NIOCore
public import WSTapCore

/// What a filter expression looks at: one frame or one whole message, with the connection it passed on.
public struct FilterSubject: Sendable {
    /// The connection's number.
    public var connection: UInt64
    /// Which way it went.
    public var direction: TrafficDirection
    /// The opcode's name (`text`, `binary`, `continuation`, `close`, `ping`, `pong`, `reserved-N`); a message is
    /// `text` or `binary`.
    public var opcodeName: String
    /// The opcode's number (RFC 6455 frames and messages; nil for hybi-00 frames).
    public var opcode: UInt8?
    /// The FIN bit (a message: true).
    public var fin: Bool
    /// The RSV bits (a message: those of its first frame, as far as known; empty).
    public var reservedBits: ReservedBits
    /// The payload as the application reads it (inflated when it was compressed), as far as it was kept.
    public var payload: ByteBuffer
    /// The payload's whole length, when known.
    public var length: UInt64?
    /// The rules it breaks.
    public var violations: [Violation.Kind]
    /// The connection's `Host` (from its opening request), when known.
    public var host: String?
    /// The path (and query) of the connection's opening request, when known.
    public var path: String?
    /// The agreed subprotocol, when known.
    public var subprotocol: String?

    /// A subject with every field given.
    public init(
        connection: UInt64, direction: TrafficDirection, opcodeName: String, opcode: UInt8?, fin: Bool,
        reservedBits: ReservedBits, payload: ByteBuffer, length: UInt64?, violations: [Violation.Kind],
        host: String? = nil, path: String? = nil, subprotocol: String? = nil
    ) {
        self.connection = connection
        self.direction = direction
        self.opcodeName = opcodeName
        self.opcode = opcode
        self.fin = fin
        self.reservedBits = reservedBits
        self.payload = payload
        self.length = length
        self.violations = violations
        self.host = host
        self.path = path
        self.subprotocol = subprotocol
    }

    /// A frame as the tap reported it, on the connection `opened` describes (when known).
    public init(frame seen: TrafficEvent.FrameSeen, opened: TrafficEvent.ConnectionOpened? = nil) {
        switch seen.content {
        case .rfc6455(let frame):
            self.init(
                connection: seen.connection, direction: seen.direction, opcodeName: frame.header.opcode.name,
                opcode: frame.header.opcode.rawValue, fin: frame.header.fin, reservedBits: frame.header.reservedBits,
                payload: seen.inflatedPayload ?? frame.payload,
                length: seen.inflatedPayload.map { UInt64($0.readableBytes) } ?? frame.header.payloadLength,
                violations: seen.violations.map(\.kind))
        case .hybi00(let frame):
            self.init(
                connection: seen.connection, direction: seen.direction, opcodeName: frame.kindName, opcode: nil,
                fin: true, reservedBits: [], payload: frame.payload,
                length: frame.declaredLength ?? UInt64(frame.payload.readableBytes),
                violations: seen.violations.map(\.kind))
        }
        describe(opened)
    }

    /// A whole message, on the connection `opened` describes (when known).
    public init(message: TrafficEvent.MessageSeen, opened: TrafficEvent.ConnectionOpened? = nil) {
        self.init(
            connection: message.connection, direction: message.direction,
            opcodeName: message.isText ? "text" : "binary", opcode: message.isText ? 1 : 2, fin: true,
            reservedBits: message.wasCompressed ? .rsv1 : [], payload: message.payload, length: message.length,
            violations: [])
        describe(opened)
    }

    private mutating func describe(_ opened: TrafficEvent.ConnectionOpened?) {
        guard let opened else { return }
        host = opened.request.headers.first("Host")
        path = opened.request.target
        subprotocol = opened.subprotocol
    }
}
