public import NIOCore
public import WSTapCore

/// Inflates, passively, the data frames one side of a connection sends, for a tap or proxy that watches
/// permessage-deflate traffic without taking part in it.
///
/// Feed it every frame of one direction in order (control frames included; they pass through). It follows
/// RSV1 on the first frame of each message to tell compressed messages from plain ones, and inflates with a
/// 15-bit window whatever the agreement says, so a peer that oversteps its negotiated window is still read.
///
/// It keeps the first `maxMessageSize` inflated bytes of each message (a display limit): a message that
/// inflates to more is still inflated to its end, so that the window stays in step for the next messages,
/// its bytes past the limit dropped (``Payload/inflatedCut(_:_:)``); past ``workLimit`` inflated bytes it
/// stops, and with context takeover the messages after it cannot be inflated.
/// Not `Sendable`: one inspector per direction, used from one thread at a time.
public final class PerMessageDeflateInspector {
    /// What a frame's payload is, as the application sees it.
    public enum Payload {
        /// The frame is a control frame, or part of a message sent without compression: its payload as is.
        case plain(ByteBuffer)
        /// The frame is part of a compressed message: what its payload inflates to (maybe empty for a frame
        /// whose bytes inflate only together with the next one's).
        case inflated(ByteBuffer)
        /// The frame is part of a compressed message that inflates to more than the inspector keeps of a
        /// message: the bytes of it kept (the message's first bytes; maybe none), and how it was cut.
        case inflatedCut(ByteBuffer, InflationCut)
    }

    /// Compressed bytes are inflated this many at a time, so that one call's output stays small (at most
    /// about 1032 times as much) whatever a frame inflates to.
    static let sliceSize = 4096

    /// The most inflated bytes kept of one message.
    public let keptBytes: Int
    /// Past this many inflated bytes of one message, inflating stops (a bound on the work a message costs).
    public let workLimit: Int

    private let decompressor: PerMessageDeflateDecompressor
    private let contextTakeover: Bool
    /// Whether the open message (if any) is compressed.
    private var openMessageCompressed: Bool?
    /// Inflated bytes of the open message kept so far, and inflated in all.
    private var keptInMessage = 0
    private var inflatedInMessage = 0
    /// Inflating the open message stopped at the work limit: its other frames are not inflated.
    private var openMessageStopped = false
    /// A message was given up with context takeover: later messages refer to a window that is gone.
    private var windowLost = false

    /// Creates an inspector for the frames `sender` sends under the agreed parameters, keeping at most
    /// `maxMessageSize` inflated bytes of a message and inflating at most `workLimit` (at least
    /// `maxMessageSize`; 64 MiB unless given).
    public init(
        agreed parameters: PerMessageDeflateParameters, sender: EndpointRole, maxMessageSize: Int,
        workLimit: Int? = nil
    ) throws(PerMessageDeflateError) {
        keptBytes = max(0, maxMessageSize)
        self.workLimit = max(keptBytes, workLimit ?? 64 << 20)
        contextTakeover = !parameters.noContextTakeover(sender: sender)
        // The inspector stops at the work limit itself (after a slice), so that what was kept stays.
        decompressor = try PerMessageDeflateDecompressor(
            windowBits: PerMessageDeflateParameters.maxWindowBits,
            noContextTakeover: parameters.noContextTakeover(sender: sender), maxMessageSize: .max)
    }

    /// Takes the next frame of this direction and returns its payload as the application sees it.
    ///
    /// - Throws: ``PerMessageDeflateError`` when a compressed message is corrupt; the message is dropped,
    ///   and with context takeover later messages may fail to inflate as well.
    public func inspect(_ frame: DecodedFrame) throws(PerMessageDeflateError) -> Payload {
        try inspect(
            opcode: frame.header.opcode, reservedBits: frame.header.reservedBits, fin: frame.header.fin,
            payload: frame.payload)
    }

    /// Fills in a tapped frame's inflated payload (and how it was cut), or why it could not be inflated.
    /// A frame whose payload was cut at a capture limit cannot be inflated and is left as it is.
    public func inflate(_ seen: inout TrafficEvent.FrameSeen) {
        guard case .rfc6455(let frame) = seen.content, frame.isPayloadComplete else { return }
        do {
            switch try inspect(frame) {
            case .plain: break
            case .inflated(let bytes): seen.inflatedPayload = bytes
            case .inflatedCut(let bytes, let cut):
                seen.inflatedPayload = bytes
                seen.inflationCut = cut
            }
        } catch {
            seen.inflationError = "\(error)"
        }
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
            keptInMessage = 0
            inflatedInMessage = 0
            openMessageStopped = false
        }
        openMessageCompressed = fin ? nil : compressed
        guard compressed else { return .plain(payload) }
        if openMessageStopped {
            return .inflatedCut(ByteBuffer(), InflationCut(limit: keptBytes, inflatedLength: nil))
        }
        var input = payload
        var kept = ByteBuffer()
        var inflatedLength = 0
        do {
            repeat {
                let count = min(input.readableBytes, Self.sliceSize)
                let slice = input.readSlice(length: count) ?? ByteBuffer()
                let first = inflatedLength == 0
                let output = try decompressor.decompressFragment(slice, isFinal: fin && input.readableBytes == 0)
                inflatedLength += output.readableBytes
                inflatedInMessage += output.readableBytes
                let taken = min(output.readableBytes, keptBytes - keptInMessage)
                keptInMessage += taken
                if first, taken == output.readableBytes, input.readableBytes == 0 {
                    kept = output  // the common case: one slice, all of it kept
                } else if taken > 0 {
                    kept.writeBytes(output.readableBytesView.prefix(taken))
                }
                if inflatedInMessage > workLimit {
                    // The work limit, not a fault in the message: the start of it is kept.
                    decompressor.abandonMessage()
                    openMessageStopped = !fin
                    if contextTakeover { windowLost = true }
                    return .inflatedCut(kept, InflationCut(limit: keptBytes, inflatedLength: nil))
                }
            } while input.readableBytes > 0
        } catch {
            openMessageCompressed = nil
            if windowLost {
                throw PerMessageDeflateError(
                    .misuse(
                        "cannot be inflated: an earlier message inflated to more than \(workLimit) bytes, "
                            + "and the window it left was not kept (\(error))"))
            }
            throw error
        }
        guard inflatedLength > kept.readableBytes else { return .inflated(kept) }
        return .inflatedCut(kept, InflationCut(limit: keptBytes, inflatedLength: inflatedLength))
    }
}
