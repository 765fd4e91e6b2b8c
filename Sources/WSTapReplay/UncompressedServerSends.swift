import NIOCore
import WSTapCompression
import WSTapCore

/// The recorded server frames of a permessage-deflate connection made plain, for a client that did not offer
/// compression: every frame of a compressed message is sent with its part of the inflated message (same
/// opcode, FIN and spacing, RSV1 clear); control frames, plain messages and bytes that make no whole frame
/// go as recorded.
enum UncompressedServerSends {
    /// The sends made plain, and how many frames were inflated (or could not be).
    static func make(
        from sends: [ReplayScript.ServerSend], agreed: PerMessageDeflateParameters
    ) -> (sends: [ReplayScript.ServerSend], inflated: Int, failed: Int) {
        guard let inspector = try? PerMessageDeflateInspector(agreed: agreed, sender: .server, maxMessageSize: 1 << 40)
        else { return (sends, 0, 0) }
        var inflated = 0
        var failed = 0
        let plain = sends.map { send -> ReplayScript.ServerSend in
            guard let frame = wholeFrame(send.wireBytes) else { return send }
            let payload: ByteBuffer
            do {
                guard case .inflated(let bytes) = try inspector.inspect(frame) else { return send }
                payload = bytes
            } catch {
                failed += 1
                return send
            }
            inflated += 1
            let header = frame.header
            let spec = FrameSpec(
                fin: header.fin, reservedBits: header.reservedBits.subtracting(.rsv1), opcode: header.opcode,
                mask: header.maskingKey.map { .key($0) } ?? .none, payload: Array(payload.readableBytesView))
            var changed = send
            changed.wireBytes = ByteBuffer(bytes: (try? FrameEncoder.encode(spec)) ?? [])
            return changed
        }
        return (plain, inflated, failed)
    }

    /// The frame `bytes` hold, when they are exactly one whole frame.
    private static func wholeFrame(_ bytes: ByteBuffer) -> DecodedFrame? {
        var decoder = FrameDecoder(
            configuration: FrameDecoderConfiguration(sender: .server, allowedReservedBits: .rsv1, validatesUTF8: false))
        decoder.append(bytes)
        guard let frame = decoder.nextFrame(), frame.isPayloadComplete,
            frame.wireLength == UInt64(bytes.readableBytes)
        else { return nil }
        return frame
    }
}
