public import NIOCore

/// Writes hybi-00 frames in either framing.
public enum Hybi00FrameEncoder {
    /// Writes a text frame: `0x00 text 0xFF` (old) or `0xFF length text` (new).
    public static func writeText(
        _ payload: some Collection<UInt8>, framing: Hybi00Framing, into buffer: inout ByteBuffer
    ) {
        switch framing {
        case .old:
            buffer.writeInteger(UInt8(0x00))
            buffer.writeBytes(payload)
            buffer.writeInteger(UInt8(0xFF))
        case .new:
            buffer.writeInteger(UInt8(0xFF))
            buffer.writeInteger(UInt64(payload.count), endianness: .big)
            buffer.writeBytes(payload)
        }
    }

    /// Writes the closing frame: `0xFF 0x00` (old) or type `0x00` with length 0 (new).
    public static func writeClose(framing: Hybi00Framing, into buffer: inout ByteBuffer) {
        switch framing {
        case .old:
            buffer.writeBytes([0xFF, 0x00])
        case .new:
            buffer.writeInteger(UInt8(0x00))
            buffer.writeInteger(UInt64(0), endianness: .big)
        }
    }

    /// Writes any frame a spec describes, including ones the draft forbids.
    ///
    /// In old framing a type byte with the high bit clear is written as a sentinel frame (payload then
    /// `0xFF`, whatever bytes the payload holds); one with the high bit set gets the draft's 7-bit
    /// length groups.
    public static func encode(_ spec: Hybi00FrameSpec, into buffer: inout ByteBuffer) {
        switch spec.framing {
        case .old:
            let type = spec.typeByte ?? (spec.isClose ? 0xFF : 0x00)
            buffer.writeInteger(type)
            if type & 0x80 == 0 {
                buffer.writeBytes(spec.payload)
                buffer.writeInteger(UInt8(0xFF))
            } else {
                let payload = spec.isClose && spec.typeByte == nil ? [] : spec.payload
                writeLengthGroups(spec.declaredLength ?? UInt64(payload.count), into: &buffer)
                buffer.writeBytes(payload)
            }
        case .new:
            let type = spec.typeByte ?? (spec.isClose ? 0x00 : 0xFF)
            let payload = spec.isClose && spec.typeByte == nil && spec.declaredLength == nil ? [] : spec.payload
            buffer.writeInteger(type)
            buffer.writeInteger(spec.declaredLength ?? UInt64(payload.count), endianness: .big)
            buffer.writeBytes(payload)
        }
    }

    /// The bytes of the frame a spec describes.
    public static func encode(_ spec: Hybi00FrameSpec) -> [UInt8] {
        var buffer = ByteBuffer()
        encode(spec, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// The draft's length: big-endian groups of 7 bits, every byte but the last with the high bit set.
    static func writeLengthGroups(_ length: UInt64, into buffer: inout ByteBuffer) {
        var groups: [UInt8] = [UInt8(length & 0x7F)]
        var rest = length >> 7
        while rest > 0 {
            groups.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        buffer.writeBytes(groups.reversed())
    }
}
