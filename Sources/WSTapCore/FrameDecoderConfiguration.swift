/// What a ``FrameDecoder`` checks and how much it keeps.
public struct FrameDecoderConfiguration: Hashable, Sendable {
    /// Who sent the stream; `nil` skips the masking rules (RFC 6455 5.1).
    public var sender: EndpointRole?
    /// RSV bits a negotiated extension allows (RSV1 for permessage-deflate).
    public var allowedReservedBits: ReservedBits
    /// Frames whose declared payload is larger are flagged ``Violation/Kind/frameTooBig``.
    public var maxFrameSize: UInt64
    /// Messages (all fragments) larger than this are flagged ``Violation/Kind/messageTooBig``.
    public var maxMessageSize: UInt64
    /// At most this many payload bytes of a frame are kept; the rest are still unmasked and checked
    /// (UTF-8) but dropped, so a huge frame costs bounded memory.
    public var payloadCaptureLimit: Int
    /// Whether text messages and close reasons are checked for UTF-8 validity.
    public var validatesUTF8: Bool

    /// A configuration that checks every rule it can without knowing the sender (masking is not checked),
    /// allows no RSV bits, and keeps every payload whole; give limits and the sender to tighten it.
    public init(
        sender: EndpointRole? = nil,
        allowedReservedBits: ReservedBits = [],
        maxFrameSize: UInt64 = UInt64.max,
        maxMessageSize: UInt64 = UInt64.max,
        payloadCaptureLimit: Int = Int.max,
        validatesUTF8: Bool = true
    ) {
        self.sender = sender
        self.allowedReservedBits = allowedReservedBits
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.payloadCaptureLimit = payloadCaptureLimit
        self.validatesUTF8 = validatesUTF8
    }
}
