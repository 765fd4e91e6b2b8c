public import NIOCore
public import WSTapCore

/// Writes a pcapng capture file (draft-ietf-opsawg-pcapng): one Section Header Block, one Interface
/// Description Block (Ethernet, microsecond timestamps) and an Enhanced Packet Block per packet, all
/// little-endian.
public struct PcapngWriter: Sendable {
    /// The link-layer header type of the one interface: `LINKTYPE_ETHERNET`.
    public static let ethernetLinkType: UInt16 = 1

    private static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    private static let interfaceDescriptionType: UInt32 = 1
    private static let enhancedPacketType: UInt32 = 6
    private static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    private static let commentOption: UInt16 = 1
    private static let userApplicationOption: UInt16 = 4

    /// The file's opening blocks: the section header (naming the application) and the interface.
    public static func header(application: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        writeBlock(type: sectionHeaderType, into: &buffer) { body in
            body.writeInteger(byteOrderMagic, endianness: .little)
            body.writeInteger(UInt16(1), endianness: .little)  // major version
            body.writeInteger(UInt16(0), endianness: .little)  // minor version
            body.writeInteger(UInt64.max, endianness: .little)  // section length: not given
            writeOption(userApplicationOption, Array(application.utf8), into: &body)
            writeEndOfOptions(into: &body)
        }
        writeBlock(type: interfaceDescriptionType, into: &buffer) { body in
            body.writeInteger(ethernetLinkType, endianness: .little)
            body.writeInteger(UInt16(0), endianness: .little)  // reserved
            body.writeInteger(UInt32(0), endianness: .little)  // snap length: no limit
        }
        return buffer
    }

    /// Appends one packet (a whole Ethernet frame) seen at `time`, with an optional comment.
    public static func writePacket(
        _ packet: ByteBuffer, at time: TrafficTimestamp, comment: String? = nil, into buffer: inout ByteBuffer
    ) {
        let microseconds = UInt64(max(0, time.wallSeconds * 1_000_000).rounded())
        writeBlock(type: enhancedPacketType, into: &buffer) { body in
            body.writeInteger(UInt32(0), endianness: .little)  // interface id
            body.writeInteger(UInt32(truncatingIfNeeded: microseconds >> 32), endianness: .little)
            body.writeInteger(UInt32(truncatingIfNeeded: microseconds), endianness: .little)
            body.writeInteger(UInt32(packet.readableBytes), endianness: .little)  // captured length
            body.writeInteger(UInt32(packet.readableBytes), endianness: .little)  // original length
            var bytes = packet
            body.writeBuffer(&bytes)
            pad(&body)
            if let comment {
                writeOption(commentOption, Array(comment.utf8), into: &body)
                writeEndOfOptions(into: &body)
            }
        }
    }

    /// A block: type, total length, body (padded to 32 bits), total length again.
    /// The body is written into a buffer of its own, so its padding is counted from the block's start.
    private static func writeBlock(type: UInt32, into buffer: inout ByteBuffer, body: (inout ByteBuffer) -> Void) {
        var block = ByteBufferAllocator().buffer(capacity: 64)
        block.writeInteger(type, endianness: .little)
        block.writeInteger(UInt32(0), endianness: .little)
        body(&block)
        pad(&block)
        let total = UInt32(block.writerIndex + 4)
        block.writeInteger(total, endianness: .little)
        block.setInteger(total, at: 4, endianness: .little)
        buffer.writeBuffer(&block)
    }

    private static func writeOption(_ code: UInt16, _ value: [UInt8], into buffer: inout ByteBuffer) {
        buffer.writeInteger(code, endianness: .little)
        buffer.writeInteger(UInt16(min(value.count, Int(UInt16.max))), endianness: .little)
        buffer.writeBytes(value.prefix(Int(UInt16.max)))
        pad(&buffer)
    }

    private static func writeEndOfOptions(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(0), endianness: .little)
    }

    private static func pad(_ buffer: inout ByteBuffer) {
        let remainder = buffer.writerIndex % 4
        if remainder != 0 { buffer.writeRepeatingByte(0, count: 4 - remainder) }
    }
}
