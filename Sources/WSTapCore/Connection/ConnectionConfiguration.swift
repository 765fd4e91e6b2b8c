/// How an endpoint connection behaves once its opening handshake is done.
public struct ConnectionConfiguration: Hashable, Sendable {
    /// Which end this is: clients mask what they send and expect unmasked frames.
    public var role: EndpointRole
    /// The protocol the connection speaks: RFC 6455, or hybi-00 (text only, no fragments, no close status).
    public var variant: ProtocolVariant
    /// hybi-00 framing, both ways.
    public var framing: Hybi00Framing
    /// Larger messages fail the connection with 1009.
    public var maxMessageSize: Int
    /// RSV bits negotiated extensions allow.
    public var allowedReservedBits: ReservedBits
    /// Whether every frame, control frames included, is reported as a ``ConnectionEvent/frameReceived(_:)``.
    public var reportsFrames: Bool
    /// permessage-deflate parameters both ends agreed on, if any (RSV1 then marks compressed messages).
    public var compression: PerMessageDeflateParameters?

    /// A configuration for one end; RFC 6455, 64 MiB messages, no extensions and no frame reports unless told.
    public init(
        role: EndpointRole, variant: ProtocolVariant = .rfc6455, framing: Hybi00Framing = .old,
        maxMessageSize: Int = 64 << 20, allowedReservedBits: ReservedBits = [], reportsFrames: Bool = false,
        compression: PerMessageDeflateParameters? = nil
    ) {
        self.compression = compression
        self.role = role
        self.variant = variant
        self.framing = framing
        self.maxMessageSize = maxMessageSize
        self.allowedReservedBits = allowedReservedBits
        self.reportsFrames = reportsFrames
    }
}
