import NIOCore
import WSTapCore

/// The header fields of one frame as the scanner read them.
struct ScannedHeader {
    var fin: Bool
    var opcode: UInt8
    var maskingKey: MaskingKey?
    var payloadLength: UInt64
}

/// Receives what a ``FrameScanner`` finds, in stream order.
protocol FrameVisitor: AnyObject {
    func frameStarted(_ header: ScannedHeader)
    /// Payload bytes of the current frame as they are on the wire (still masked if the frame is);
    /// `phase` is the offset of the first byte within the payload modulo 4.
    func payloadBytes(_ bytes: UnsafeRawBufferPointer, phase: Int, of header: ScannedHeader)
    func frameEnded(_ header: ScannedHeader)
}

/// A minimal streaming RFC 6455 frame reader for the load generator and the echo server: it parses
/// headers and hands payload bytes on in whatever chunks they arrive, so it never gathers a whole
/// frame and never allocates per frame. It trusts its input (both ends are ours); the proxy under
/// test is what decodes carefully.
struct FrameScanner {
    private var header: ScannedHeader?
    private var remaining: UInt64 = 0
    private var phase = 0

    /// Reads as much of `buffer` as it can. What stays unread is part of a header: keep it and add the
    /// next bytes behind it.
    mutating func scan(_ buffer: inout ByteBuffer, visitor: some FrameVisitor) {
        while true {
            if let current = header {
                let count = Int(min(remaining, UInt64(buffer.readableBytes)))
                guard count > 0 else { return }
                buffer.withUnsafeReadableBytes { bytes in
                    visitor.payloadBytes(
                        UnsafeRawBufferPointer(rebasing: bytes.prefix(count)), phase: phase, of: current)
                }
                buffer.moveReaderIndex(forwardBy: count)
                remaining -= UInt64(count)
                phase = (phase + count) & 3
                if remaining == 0 {
                    header = nil
                    visitor.frameEnded(current)
                }
            } else {
                guard let parsed = Self.readHeader(&buffer) else { return }
                visitor.frameStarted(parsed)
                if parsed.payloadLength == 0 {
                    visitor.frameEnded(parsed)
                } else {
                    header = parsed
                    remaining = parsed.payloadLength
                    phase = 0
                }
            }
        }
    }

    private static func readHeader(_ buffer: inout ByteBuffer) -> ScannedHeader? {
        let start = buffer.readerIndex
        guard let first = buffer.getInteger(at: start, as: UInt8.self),
            let second = buffer.getInteger(at: start + 1, as: UInt8.self)
        else { return nil }
        let shortLength = second & 0x7F
        let masked = second & 0x80 != 0
        let lengthBytes = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0
        let headerLength = 2 + lengthBytes + (masked ? 4 : 0)
        guard buffer.readableBytes >= headerLength else { return nil }
        var length = UInt64(shortLength)
        if lengthBytes == 2, let value = buffer.getInteger(at: start + 2, as: UInt16.self) { length = UInt64(value) }
        if lengthBytes == 8, let value = buffer.getInteger(at: start + 2, as: UInt64.self) { length = value }
        var key: MaskingKey?
        if masked, let value = buffer.getInteger(at: start + 2 + lengthBytes, as: UInt32.self) {
            key = MaskingKey(value: value)
        }
        buffer.moveReaderIndex(forwardBy: headerLength)
        return ScannedHeader(fin: first & 0x80 != 0, opcode: first & 0x0F, maskingKey: key, payloadLength: length)
    }
}

/// Writes an RFC 6455 frame header (minimal length encoding).
func writeFrameHeader(fin: Bool, opcode: UInt8, maskingKey: MaskingKey?, length: Int, into buffer: inout ByteBuffer) {
    buffer.writeInteger((fin ? 0x80 : 0) | opcode)
    let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
    if length < 126 {
        buffer.writeInteger(maskBit | UInt8(length))
    } else if length <= 0xFFFF {
        buffer.writeInteger(maskBit | 126)
        buffer.writeInteger(UInt16(length))
    } else {
        buffer.writeInteger(maskBit | 127)
        buffer.writeInteger(UInt64(length))
    }
    if let maskingKey { buffer.writeInteger(maskingKey.value) }
}

/// Appends a whole masked client frame carrying `payload`.
func writeMaskedFrame(opcode: UInt8, payload: [UInt8], maskingKey: MaskingKey, into buffer: inout ByteBuffer) {
    writeFrameHeader(fin: true, opcode: opcode, maskingKey: maskingKey, length: payload.count, into: &buffer)
    _ = payload.withUnsafeBytes { source in
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: source.count) { target in
            if let from = source.baseAddress, let to = target.baseAddress {
                Masking.apply(key: maskingKey, phase: 0, from: from, to: to, count: source.count)
            }
            return source.count
        }
    }
}
