public import NIOCore
public import WSTapCore

/// Reads the frames that a person or a rule made (an edited frame, an injected one, a rewritten message) as
/// their receiver will decode them, for the events. A small value apart from the ``ConnectionTap`` it comes
/// from, so that it can be used while the tap is busy with the stream.
public struct MadeFrameReader: Sendable {
    /// The connection's number, as in the events.
    public let connection: UInt64
    /// The protocol variant the handshake settled.
    public let variant: ProtocolVariant
    /// The hybi-00 framing the receiver reads in.
    public var framing: Hybi00Framing
    let captureLimit: Int
    let isCompressed: Bool

    /// The frames of `bytes` going `direction`, each with `disposition`.
    public func frames(
        _ bytes: ByteBuffer, direction: TrafficDirection, at time: TrafficTimestamp, disposition: FrameDisposition
    ) -> [TrafficEvent.FrameSeen] {
        var made: [TrafficEvent.FrameSeen] = []
        func add(_ content: TrafficEvent.FrameSeen.Content) {
            made.append(
                .init(
                    connection: connection, direction: direction, content: content, at: time, disposition: disposition))
        }
        switch variant {
        case .hybi00:
            var decoder = Hybi00FrameDecoder(framing: framing, payloadCaptureLimit: captureLimit)
            decoder.append(bytes)
            while let frame = decoder.nextFrame() { add(.hybi00(frame)) }
        case .rfc6455:
            var decoder = FrameDecoder(
                configuration: FrameDecoderConfiguration(
                    sender: direction.sender, allowedReservedBits: isCompressed ? .rsv1 : [],
                    payloadCaptureLimit: captureLimit))
            decoder.append(bytes)
            while let frame = decoder.nextFrame() { add(.rfc6455(frame)) }
        }
        return made
    }
}
