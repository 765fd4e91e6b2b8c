public import NIOCore
public import WSTapCore
public import WSTapLenses

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
    /// What lenses read in it, for `~lens` and `~field`: one reading per packet (most messages hold one);
    /// empty when no lens read it. Whoever makes the subject fills it only for a filter that
    /// ``FilterExpression/readsLenses`` (see ``readLenses()``), so that other filters never run a lens.
    public var lensReadings: [LensReading] = []

    /// What one lens read in the subject: the lens's name and the decoded fields.
    public struct LensReading: Sendable, Equatable {
        /// The lens's name (`socketio`, `mqtt`...).
        public var lens: String
        /// The decoded fields (an object).
        public var fields: LensValue

        /// A reading by the lens `lens`.
        public init(lens: String, fields: LensValue) {
            self.lens = lens
            self.fields = fields
        }
    }

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

extension FilterSubject {
    /// Reads the subject with the lens that claims it, on its own: by the connection's subprotocol and path,
    /// else by the message itself (as a connection's first messages are claimed). For places that have no
    /// lens reading of their own (the proxy's rules); a message whose meaning depends on the ones before it
    /// (an MQTT packet spanning messages, a Socket.IO attachment) is read as far as it goes alone.
    public mutating func readLenses() {
        let connection = LensConnection(subprotocol: subprotocol, target: path ?? "/")
        let message = LensMessage(
            direction: direction, isText: opcode == 1, bytes: Array(payload.readableBytesView),
            isCut: length.map { $0 > UInt64(payload.readableBytes) } ?? false)
        guard let lens = LensRegistry.claiming(connection) ?? LensRegistry.claiming(firstMessage: message) else {
            lensReadings = []
            return
        }
        var decoder = lens.decoder(for: connection)
        let views = message.isCut ? decoder.cut(message) : decoder.decode(message)
        lensReadings = views.map { LensReading(lens: lens.name, fields: $0.fields) }
    }
}
