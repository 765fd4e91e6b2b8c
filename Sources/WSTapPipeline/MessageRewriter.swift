public import NIOCore
public import WSTapCompression
public import WSTapCore

/// Encodes what one direction of a proxied connection sends once a stage (a rule, a script, the user) changed
/// a message: the new message framed as its receiver expects it, masked with a fresh key when the sender masks
/// (client to server), compressed when the original was (permessage-deflate).
///
/// Compression is why this is more than framing. With context takeover, the sender compresses each message
/// against the ones before it, and the receiver inflates it against what it inflated before. Once the
/// receiver got something other than what the sender sent (a message replaced or dropped), the sender's later
/// messages may refer back to bytes the receiver never saw. So from the first change on, every compressed
/// message that passes is inflated (against the sender's history) and compressed again (against the
/// receiver's): the rewriter keeps a mirror of each side's window. Before the first change it only mirrors the
/// sender, which costs an inflate per compressed message and only where a stage may change messages.
///
/// It works on whole frames, in the order they go out; it is not thread-safe (one per direction, on the
/// connection's event loop).
public final class MessageRewriter {
    /// Why a change could not be made; the message then goes on unchanged.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        /// One sentence: what could not be done, and why.
        public let description: String
    }

    private let variant: ProtocolVariant
    /// Whether the sender masks its frames (a client does).
    private let senderMasks: Bool
    /// The agreed compression and which end sends this way.
    private let deflate: PerMessageDeflateParameters?
    private let sender: EndpointRole
    /// The sender's compressor's window, mirrored by inflating what it sent (context takeover only).
    private var senderMirror: PerMessageDeflateDecompressor?
    /// The receiver's window, mirrored by the compressor that re-encodes once the stream was changed.
    private var receiverMirror: PerMessageDeflateCompressor?
    /// Whether the data message going on now was sent compressed (its first frame had RSV1).
    private var inCompressedMessage = false
    /// Why compressed messages can no longer be changed, once the mirror of the sender was lost.
    private var lostMirror: String?

    /// The largest inflated message the mirrors accept.
    public static let maxMessageSize = 64 << 20

    /// A rewriter for the frames `sender` sends on a connection of `variant`, with `deflate` when the handshake
    /// agreed on permessage-deflate.
    public init(variant: ProtocolVariant, sender: EndpointRole, deflate: PerMessageDeflateParameters?) {
        self.variant = variant
        self.sender = sender
        self.senderMasks = sender == .client
        self.deflate = variant == .rfc6455 ? deflate : nil
        if let deflate = self.deflate, !deflate.noContextTakeover(sender: sender) {
            senderMirror = try? PerMessageDeflateDecompressor(
                agreed: deflate, sender: sender, maxMessageSize: Self.maxMessageSize)
            if senderMirror == nil { lostMirror = "zlib could not start" }
        }
    }

    /// Whether every compressed message that passes is compressed again (a change was made with context
    /// takeover): every frame must then go through ``pass(_:)`` whole.
    public var isReencoding: Bool { receiverMirror != nil }

    /// A frame goes on unchanged: returns the bytes to write (the same bytes, or the frame compressed again
    /// against the receiver's window once the stream was changed).
    public func pass(_ frame: ByteBuffer) -> ByteBuffer {
        guard senderMirror != nil, lostMirror == nil, let parsed = WholeFrame(frame) else { return frame }
        guard parsed.header.opcode.isData else { return frame }
        let isFirst = parsed.header.opcode != .continuation
        if isFirst { inCompressedMessage = parsed.header.reservedBits.contains(.rsv1) }
        guard inCompressedMessage else { return frame }
        let plain: ByteBuffer
        do {
            plain = try mirrorSender(parsed)
        } catch {
            return frame
        }
        guard let receiverMirror else { return frame }
        do {
            let payload = try receiverMirror.compressFragment(plain, isFinal: parsed.header.fin)
            return encode(
                payload, opcode: parsed.header.opcode, fin: parsed.header.fin,
                compressed: isFirst, masked: parsed.header.isMasked)
        } catch {
            // The receiver's window is unknown from here: nothing compressed can be encoded for it again.
            lose("compressing again failed: \(error)")
            return frame
        }
    }

    /// The whole message made of `frames` (as the sender wrote them) is replaced by `payload`: returns the
    /// frame to write instead. Throws when it cannot be done (the frames then go on unchanged).
    public func replace(
        _ frames: [ByteBuffer], with payload: ByteBuffer, isText: Bool, hybi00Framing: Hybi00Framing = .old
    ) throws(Refusal) -> ByteBuffer {
        if variant == .hybi00 {
            var buffer = ByteBuffer()
            Hybi00FrameEncoder.writeText(payload.readableBytesView, framing: hybi00Framing, into: &buffer)
            return buffer
        }
        let parsed = try Self.parse(frames)
        let wasCompressed = parsed.first?.header.reservedBits.contains(.rsv1) ?? false
        let masked = parsed.first?.header.isMasked ?? senderMasks
        let opcode: Opcode = isText ? .text : .binary
        guard wasCompressed, let deflate else {
            // Sent plain, it goes plain: the windows of both ends stay as they are.
            return encode(payload, opcode: opcode, fin: true, compressed: false, masked: masked)
        }
        let compressor = try takeOver(deflate, before: parsed)
        let compressed: ByteBuffer
        do {
            compressed = try compressor.compress(payload)
        } catch {
            lose("compressing the new message failed: \(error)")
            throw Refusal(description: "compressing the new message failed: \(error)")
        }
        return encode(compressed, opcode: opcode, fin: true, compressed: true, masked: masked)
    }

    /// The whole message made of `frames` is dropped: the receiver never gets it. Throws when that would
    /// break what follows (the frames then go on unchanged).
    public func drop(_ frames: [ByteBuffer]) throws(Refusal) {
        guard variant == .rfc6455, let deflate else { return }
        let parsed = try Self.parse(frames)
        guard parsed.first?.header.reservedBits.contains(.rsv1) == true else { return }
        _ = try takeOver(deflate, before: parsed)
    }

    /// Bytes went on that the rewriter did not see whole (a frame too large to wait for, a frame the user
    /// dropped or replaced by hand): with compression and context takeover, the mirror of the sender's window is
    /// lost, and with it the means to change compressed messages later (a change is then refused, saying why).
    public func lostTrack(because why: String) {
        guard senderMirror != nil, lostMirror == nil else { return }
        lose(why)
    }

    // MARK: - Pieces

    /// Makes sure the receiver's window is mirrored (from the sender's, before `frames`) and feeds `frames` to
    /// the sender's mirror; returns the compressor for the receiver (a fresh one per message without context
    /// takeover).
    private func takeOver(
        _ deflate: PerMessageDeflateParameters, before frames: [WholeFrame]
    ) throws(Refusal) -> PerMessageDeflateCompressor {
        guard let senderMirror else {
            // Without context takeover every message stands alone.
            do {
                return try PerMessageDeflateCompressor(agreed: deflate, sender: sender)
            } catch {
                throw Refusal(description: "zlib could not start: \(error)")
            }
        }
        if let lostMirror {
            throw Refusal(description: "a compressed message cannot be changed here any more: \(lostMirror)")
        }
        if receiverMirror == nil {
            do {
                let compressor = try PerMessageDeflateCompressor(agreed: deflate, sender: sender)
                try compressor.primeWindow(with: senderMirror.window)
                receiverMirror = compressor
            } catch {
                throw Refusal(description: "zlib could not take over the stream: \(error)")
            }
        }
        for frame in frames {
            do {
                _ = try mirrorSender(frame)
            } catch {
                throw Refusal(description: "the sender's compressed message does not inflate: \(error)")
            }
        }
        inCompressedMessage = false
        guard let receiverMirror else { throw Refusal(description: "zlib could not take over the stream") }
        return receiverMirror
    }

    /// Inflates a frame of a compressed message against the sender's window.
    private func mirrorSender(_ frame: WholeFrame) throws(PerMessageDeflateError) -> ByteBuffer {
        guard let senderMirror else { return frame.payload }
        do {
            return try senderMirror.decompressFragment(frame.payload, isFinal: frame.header.fin)
        } catch {
            lose("the sender's compressed message did not inflate (\(error))")
            throw error
        }
    }

    private func lose(_ why: String) {
        if lostMirror == nil { lostMirror = why }
        receiverMirror = nil
    }

    /// A new message from `sender` as one plain (uncompressed) frame: masked with a fresh key from a client, in
    /// the connection's framing for hybi-00 (where every message is text). It leaves the windows of a
    /// permessage-deflate connection as they are, so it may go between any two messages.
    public static func plainMessage(
        _ payload: ByteBuffer, isText: Bool, variant: ProtocolVariant, sender: EndpointRole,
        hybi00Framing: Hybi00Framing = .old
    ) -> ByteBuffer {
        guard variant == .rfc6455 else {
            var buffer = ByteBuffer()
            Hybi00FrameEncoder.writeText(payload.readableBytesView, framing: hybi00Framing, into: &buffer)
            return buffer
        }
        let opcode: Opcode = isText ? .text : .binary
        return encode(payload, opcode: opcode, fin: true, compressed: false, masked: sender == .client)
    }

    private func encode(
        _ payload: ByteBuffer, opcode: Opcode, fin: Bool, compressed: Bool, masked: Bool
    ) -> ByteBuffer {
        Self.encode(payload, opcode: opcode, fin: fin, compressed: compressed, masked: masked)
    }

    private static func encode(
        _ payload: ByteBuffer, opcode: Opcode, fin: Bool, compressed: Bool, masked: Bool
    ) -> ByteBuffer {
        let header = FrameHeader(
            fin: fin, reservedBits: compressed ? .rsv1 : [], opcode: opcode,
            maskingKey: masked ? .random() : nil, payloadLength: UInt64(payload.readableBytes),
            lengthEncoding: .minimal(for: UInt64(payload.readableBytes)))
        var buffer = ByteBuffer()
        buffer.reserveCapacity(header.size + payload.readableBytes)
        FrameEncoder.write(header: header, payload: payload, into: &buffer)
        return buffer
    }

    private static func parse(_ frames: [ByteBuffer]) throws(Refusal) -> [WholeFrame] {
        var parsed: [WholeFrame] = []
        for bytes in frames {
            guard let frame = WholeFrame(bytes) else {
                throw Refusal(description: "the message's frames could not be read again")
            }
            if frame.header.opcode.isData { parsed.append(frame) }
        }
        return parsed
    }
}

/// One whole RFC 6455 frame read from its wire bytes: the header and the unmasked payload.
struct WholeFrame {
    var header: FrameHeader
    var payload: ByteBuffer

    /// Reads `bytes`, which must hold exactly one frame; nil when they do not.
    init?(_ bytes: ByteBuffer) {
        var reader = bytes
        guard let first = reader.readInteger(as: UInt8.self), let second = reader.readInteger(as: UInt8.self) else {
            return nil
        }
        let short = UInt64(second & 0x7F)
        let length: UInt64
        let encoding: PayloadLengthEncoding
        switch short {
        case 126:
            guard let value = reader.readInteger(as: UInt16.self) else { return nil }
            (length, encoding) = (UInt64(value), .bits16)
        case 127:
            guard let value = reader.readInteger(as: UInt64.self) else { return nil }
            (length, encoding) = (value, .bits64)
        default:
            (length, encoding) = (short, .bits7)
        }
        var key: MaskingKey?
        if second & 0x80 != 0 {
            guard let value = reader.readInteger(as: UInt32.self) else { return nil }
            key = MaskingKey(value: value)
        }
        guard UInt64(reader.readableBytes) == length, var payload = reader.readSlice(length: reader.readableBytes)
        else { return nil }
        if let key {
            // One copy, unmasked in place (the slice shares the sender's bytes).
            var unmasked = ByteBuffer()
            unmasked.writeBuffer(&payload)
            unmasked.withUnsafeMutableReadableBytes { _ = Masking.apply(key: key, phase: 0, inPlace: $0) }
            payload = unmasked
        }
        header = FrameHeader(
            fin: first & 0x80 != 0, reservedBits: ReservedBits(rawValue: first & 0x70),
            opcode: Opcode(lowBitsOf: first), maskingKey: key, payloadLength: length, lengthEncoding: encoding)
        self.payload = payload
    }
}
