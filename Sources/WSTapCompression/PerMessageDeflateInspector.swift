public import NIOCore
public import WSTapCore

/// Inflates, passively, the data frames one side of a connection sends, for a tap or proxy that watches
/// permessage-deflate traffic without taking part in it.
///
/// Feed it every frame of one direction in order (control frames included; they pass through). It follows
/// RSV1 on the first frame of each message to tell compressed messages from plain ones, and inflates with a
/// 15-bit window whatever the agreement says, so a peer that oversteps its negotiated window is still read.
/// Not `Sendable`: one inspector per direction, used from one thread at a time.
public final class PerMessageDeflateInspector {
    /// What a frame's payload is, as the application sees it.
    public enum Payload {
        /// The frame is a control frame, or part of a message sent without compression: its payload as is.
        case plain(ByteBuffer)
        /// The frame is part of a compressed message: what its payload inflates to (maybe empty for a frame
        /// whose bytes inflate only together with the next one's).
        case inflated(ByteBuffer)
    }

    private let decompressor: PerMessageDeflateDecompressor
    /// Whether the open message (if any) is compressed.
    private var openMessageCompressed: Bool?

    /// Creates an inspector for the frames `sender` sends under the agreed parameters.
    public init(
        agreed parameters: PerMessageDeflateParameters, sender: EndpointRole, maxMessageSize: Int
    ) throws(PerMessageDeflateError) {
        decompressor = try PerMessageDeflateDecompressor(
            windowBits: PerMessageDeflateParameters.maxWindowBits,
            noContextTakeover: parameters.noContextTakeover(sender: sender), maxMessageSize: maxMessageSize)
    }

    /// Takes the next frame of this direction and returns its payload as the application sees it.
    ///
    /// - Throws: ``PerMessageDeflateError`` when a compressed message is corrupt or too large; the message is
    ///   dropped, and with context takeover later messages may fail to inflate as well.
    public func inspect(_ frame: DecodedFrame) throws(PerMessageDeflateError) -> Payload {
        try inspect(
            opcode: frame.header.opcode, reservedBits: frame.header.reservedBits, fin: frame.header.fin,
            payload: frame.payload)
    }

    /// Takes the next frame of this direction, given by its parts, and returns its payload as the
    /// application sees it.
    public func inspect(
        opcode: Opcode, reservedBits: ReservedBits, fin: Bool, payload: ByteBuffer
    ) throws(PerMessageDeflateError) -> Payload {
        if opcode.isControl {
            return .plain(payload)
        }
        let compressed: Bool
        if opcode == .continuation {
            guard let open = openMessageCompressed else { return .plain(payload) }
            compressed = open
        } else {
            if decompressor.isMessageOpen {
                // A new message while one was open: the sender broke RFC 6455; drop the open one.
                decompressor.abandonMessage()
            }
            compressed = reservedBits.contains(.rsv1)
        }
        openMessageCompressed = fin ? nil : compressed
        guard compressed else { return .plain(payload) }
        do {
            return .inflated(try decompressor.decompressFragment(payload, isFinal: fin))
        } catch {
            openMessageCompressed = nil
            throw error
        }
    }
}
