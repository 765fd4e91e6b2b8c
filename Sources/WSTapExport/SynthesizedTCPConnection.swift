public import NIOCore
public import WSTapCore

/// One TCP connection between two IPv4 endpoints, written as Ethernet frames: the three-way handshake,
/// data segments of at most ``maximumSegmentSize`` bytes with running sequence and acknowledgement
/// numbers, and the closing FIN exchange. Checksums (IPv4 and TCP) are computed.
public struct SynthesizedTCPConnection: Sendable {
    /// An IPv4 address and TCP port.
    public struct Endpoint: Sendable {
        /// The IPv4 address, in network order (`(127, 0, 0, 1)`).
        public var address: (UInt8, UInt8, UInt8, UInt8)
        /// The TCP port.
        public var port: UInt16
        /// The last byte of the (locally administered) MAC address.
        public var mac: UInt8

        /// An endpoint at this address and port, with a MAC address ending in `mac`.
        public init(address: (UInt8, UInt8, UInt8, UInt8), port: UInt16, mac: UInt8) {
            self.address = address
            self.port = port
            self.mac = mac
        }
    }

    private struct Flags: OptionSet {
        let rawValue: UInt8
        static let fin = Flags(rawValue: 0x01)
        static let syn = Flags(rawValue: 0x02)
        static let push = Flags(rawValue: 0x08)
        static let ack = Flags(rawValue: 0x10)
    }

    /// The side that opens the connection (sends the SYN).
    public let client: Endpoint
    /// The side that accepts it.
    public let server: Endpoint
    /// The largest payload of one segment.
    public let maximumSegmentSize: Int
    /// The next sequence number each side sends.
    private var clientSequence: UInt32
    private var serverSequence: UInt32
    private var ipIdentification: UInt16 = 1
    /// Whether each side has sent its FIN.
    public private(set) var clientFinished = false
    /// Whether the server has sent its FIN.
    public private(set) var serverFinished = false

    /// A connection; initial sequence numbers are derived from the ports so that files are reproducible.
    public init(client: Endpoint, server: Endpoint, maximumSegmentSize: Int = 1460) {
        self.client = client
        self.server = server
        self.maximumSegmentSize = max(1, min(maximumSegmentSize, 65_495))
        clientSequence = 0x1000_0000 &+ UInt32(client.port) &* 7919
        serverSequence = 0x2000_0000 &+ UInt32(server.port) &* 104_729
    }

    /// The three-way handshake: SYN, SYN-ACK, ACK.
    public mutating func open(at time: TrafficTimestamp, comment: String? = nil, into file: inout ByteBuffer) {
        write(from: .client, flags: .syn, payload: nil, at: time, comment: comment, into: &file)
        clientSequence &+= 1
        write(from: .server, flags: [.syn, .ack], payload: nil, at: time, into: &file)
        serverSequence &+= 1
        write(from: .client, flags: .ack, payload: nil, at: time, into: &file)
    }

    /// Bytes one side sent, cut into segments; the last one carries PSH.
    public mutating func send(
        _ bytes: ByteBuffer, from sender: EndpointRole, at time: TrafficTimestamp, into file: inout ByteBuffer
    ) {
        var rest = bytes
        while rest.readableBytes > 0 {
            let count = min(rest.readableBytes, maximumSegmentSize)
            // Present: `count` is at most the readable bytes.
            guard let segment = rest.readSlice(length: count) else { return }
            write(
                from: sender, flags: rest.readableBytes == 0 ? [.ack, .push] : .ack, payload: segment, at: time,
                into: &file)
            if sender == .client {
                clientSequence &+= UInt32(count)
            } else {
                serverSequence &+= UInt32(count)
            }
        }
    }

    /// One side sends FIN (once); when both have, the last FIN is acknowledged.
    public mutating func finish(from sender: EndpointRole, at time: TrafficTimestamp, into file: inout ByteBuffer) {
        if sender == .client {
            guard !clientFinished else { return }
            write(from: .client, flags: [.fin, .ack], payload: nil, at: time, into: &file)
            clientSequence &+= 1
            clientFinished = true
        } else {
            guard !serverFinished else { return }
            write(from: .server, flags: [.fin, .ack], payload: nil, at: time, into: &file)
            serverSequence &+= 1
            serverFinished = true
        }
        if clientFinished, serverFinished {
            write(from: sender == .client ? .server : .client, flags: .ack, payload: nil, at: time, into: &file)
        }
    }

    // MARK: - Packets

    private mutating func write(
        from sender: EndpointRole, flags: Flags, payload: ByteBuffer?, at time: TrafficTimestamp,
        comment: String? = nil, into file: inout ByteBuffer
    ) {
        let (source, destination) = sender == .client ? (client, server) : (server, client)
        let sequence = sender == .client ? clientSequence : serverSequence
        let acknowledgement = flags.contains(.ack) ? (sender == .client ? serverSequence : clientSequence) : 0
        let payloadLength = payload?.readableBytes ?? 0
        let tcpLength = 20 + payloadLength
        let ipLength = 20 + tcpLength
        var packet = ByteBufferAllocator().buffer(capacity: 14 + ipLength)
        // Ethernet II: destination and source MAC (locally administered), then IPv4.
        packet.writeBytes([0x02, 0, 0, 0, 0, destination.mac, 0x02, 0, 0, 0, 0, source.mac])
        packet.writeInteger(UInt16(0x0800))
        // IPv4 header without options.
        let ipStart = packet.writerIndex
        packet.writeInteger(UInt8(0x45))
        packet.writeInteger(UInt8(0))
        packet.writeInteger(UInt16(ipLength))
        packet.writeInteger(ipIdentification)
        ipIdentification &+= 1
        packet.writeInteger(UInt16(0x4000))  // don't fragment
        packet.writeInteger(UInt8(64))  // TTL
        packet.writeInteger(UInt8(6))  // TCP
        packet.writeInteger(UInt16(0))  // checksum, set below
        writeAddress(source.address, into: &packet)
        writeAddress(destination.address, into: &packet)
        let ipChecksum = packet.withUnsafeReadableBytes {
            Self.checksum(UnsafeRawBufferPointer(rebasing: $0[ipStart..<ipStart + 20]), initial: 0)
        }
        packet.setInteger(ipChecksum, at: ipStart + 10)
        // TCP header without options.
        let tcpStart = packet.writerIndex
        packet.writeInteger(source.port)
        packet.writeInteger(destination.port)
        packet.writeInteger(sequence)
        packet.writeInteger(acknowledgement)
        packet.writeInteger(UInt8(5 << 4))  // data offset: 5 words
        packet.writeInteger(flags.rawValue)
        packet.writeInteger(UInt16(65_535))  // window
        packet.writeInteger(UInt16(0))  // checksum, set below
        packet.writeInteger(UInt16(0))  // urgent pointer
        if var payload { packet.writeBuffer(&payload) }
        // The TCP checksum covers a pseudo-header (addresses, protocol, TCP length) and the segment.
        var pseudo: UInt32 = 6 + UInt32(tcpLength)
        for address in [source.address, destination.address] {
            pseudo &+= UInt32(address.0) << 8 | UInt32(address.1)
            pseudo &+= UInt32(address.2) << 8 | UInt32(address.3)
        }
        let tcpChecksum = packet.withUnsafeReadableBytes {
            Self.checksum(UnsafeRawBufferPointer(rebasing: $0[tcpStart..<tcpStart + tcpLength]), initial: pseudo)
        }
        packet.setInteger(tcpChecksum, at: tcpStart + 16)
        PcapngWriter.writePacket(packet, at: time, comment: comment, into: &file)
    }

    private func writeAddress(_ address: (UInt8, UInt8, UInt8, UInt8), into buffer: inout ByteBuffer) {
        buffer.writeBytes([address.0, address.1, address.2, address.3])
    }

    /// The Internet checksum (RFC 1071) of `bytes`, starting from a partial sum.
    static func checksum(_ bytes: UnsafeRawBufferPointer, initial: UInt32) -> UInt16 {
        var sum = UInt64(initial)
        var index = 0
        let count = bytes.count
        // Eight bytes at a time: the one's complement sum can be taken over wider words and folded.
        while index + 8 <= count {
            let word = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let (added, overflow) = sum.addingReportingOverflow(word)
            sum = added &+ (overflow ? 1 : 0)
            index += 8
        }
        var folded = (sum >> 32) + (sum & 0xFFFF_FFFF)
        folded = (folded >> 32) + (folded & 0xFFFF_FFFF)
        var small = folded
        while index + 2 <= count {
            small += UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < count { small += UInt64(bytes[index]) << 8 }
        while small > 0xFFFF { small = (small >> 16) + (small & 0xFFFF) }
        return ~UInt16(small)
    }
}
