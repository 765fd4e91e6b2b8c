public import NIOCore
public import WSTapCore

/// Turns recorded traffic into a pcapng capture that Wireshark and tshark dissect as WebSocket.
///
/// Each connection becomes a synthesized TCP connection over IPv4 loopback (client 127.0.0.1, server
/// 127.0.0.2): the three-way handshake, the HTTP upgrade request and response as recorded, each peer's
/// frames with their wire bytes and timestamps, then FIN from the side that closed first. Events are taken
/// one at a time and packets go to the sink as they are made, so a recording of any size streams through.
public final class PcapngExporter {
    /// How the capture is laid out.
    public struct Options: Sendable {
        /// Keep the recorded server port; otherwise the server side is port 80, which Wireshark dissects
        /// as HTTP (and the upgrade as WebSocket) without a "Decode As" rule.
        public var keepsRecordedPorts: Bool
        /// The largest TCP payload of one packet; larger frames span several.
        public var maximumSegmentSize: Int

        /// Options for a capture; by default the server side is port 80 and segments hold at most 1460 bytes
        /// (Ethernet's usual TCP payload).
        public init(keepsRecordedPorts: Bool = false, maximumSegmentSize: Int = 1460) {
            self.keepsRecordedPorts = keepsRecordedPorts
            self.maximumSegmentSize = maximumSegmentSize
        }
    }

    private static let clientAddress: (UInt8, UInt8, UInt8, UInt8) = (127, 0, 0, 1)
    private static let serverAddress: (UInt8, UInt8, UInt8, UInt8) = (127, 0, 0, 2)
    private static let flushThreshold = 256 * 1024

    private let options: Options
    private let sink: (ByteBuffer) throws -> Void
    private var pending: ByteBuffer
    private var connections: [UInt64: SynthesizedTCPConnection] = [:]
    /// Per connection redecoded in another framing: the frame bytes each way already in the capture.
    private var alreadyWritten: [UInt64: [TrafficDirection: Int]] = [:]
    /// Per open connection: the frame (and leftover) bytes written each way.
    private var frameBytesWritten: [UInt64: [TrafficDirection: Int]] = [:]
    /// Ports of open connections, so that two at once never share a client port.
    private var clientPortsInUse: Set<UInt16> = []
    private var nextSynthesizedPort: UInt16 = 49_152

    /// How many WebSocket frames (and leftover byte runs) were written.
    public private(set) var frameCount = 0
    /// How many connections were written.
    public private(set) var connectionCount = 0
    /// Frames skipped because they were not the peers' own (injected or edited through the proxy).
    public private(set) var skippedFrameCount = 0

    /// Starts a capture; its header goes to `sink` with the first packets.
    public init(options: Options = Options(), application: String, sink: @escaping (ByteBuffer) throws -> Void) {
        self.options = options
        self.sink = sink
        pending = PcapngWriter.header(application: application)
    }

    /// Takes the next recorded event, with the wire bytes the recording kept for it (`nil` rebuilds a
    /// frame's bytes from its decoded form).
    public func add(_ event: TrafficEvent, wireBytes: ByteBuffer? = nil) throws {
        switch event {
        case .connectionOpened(let opened):
            var tcp = start(
                opened.connection, clientAddress: opened.clientAddress, target: opened.target, at: opened.at)
            // The heads and what follows them in the handshake (hybi-00's key bytes and answer).
            tcp.send(
                ByteBuffer(bytes: opened.request.wireBytes + opened.requestBody), from: .client, at: opened.at,
                into: &pending)
            tcp.send(
                ByteBuffer(bytes: opened.response.wireBytes + opened.responseBody), from: .server, at: opened.at,
                into: &pending)
            connections[opened.connection] = tcp
        case .frame(let frame):
            guard frame.disposition.isFromSender else {
                skippedFrameCount += 1
                return
            }
            guard let bytes = wireBytes ?? RecordedFrameBytes.of(frame) else {
                throw ExportError(
                    "connection \(frame.connection): a \(frame.direction.rawValue) frame's payload was recorded only "
                        + "in part, so its wire bytes are unknown")
            }
            send(bytes, connection: frame.connection, direction: frame.direction, at: frame.at)
        case .leftoverBytes(let connection, let direction, let bytes, let at):
            send(bytes, connection: connection, direction: direction, at: at)
        case .connectionClosed(let closed):
            alreadyWritten[closed.connection] = nil
            frameBytesWritten[closed.connection] = nil
            guard var tcp = connections.removeValue(forKey: closed.connection) else { return }
            let first = closed.closedBy ?? .client
            tcp.finish(from: first, at: closed.at, into: &pending)
            tcp.finish(from: first == .client ? .server : .client, at: closed.at, into: &pending)
            clientPortsInUse.remove(tcp.client.port)
        case .framingChanged(let change):
            // Redecoded: the frames so far come again; their bytes are already in the capture.
            if change.redecoded {
                alreadyWritten[change.connection] = frameBytesWritten[change.connection]
            }
        case .proxyError, .note, .message:
            break
        }
        if pending.readableBytes >= Self.flushThreshold { try flush() }
    }

    /// Writes what is left. Connections the recording did not see end are left open.
    public func finish() throws {
        try flush()
    }

    private func flush() throws {
        guard pending.readableBytes > 0 else { return }
        let bytes = pending
        pending = ByteBufferAllocator().buffer(capacity: Self.flushThreshold + 64 * 1024)
        try sink(bytes)
    }

    private func send(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection, at time: TrafficTimestamp) {
        // Frames reported again after a redecoding are skipped until they pass what was written.
        if var skipped = alreadyWritten[connection], skipped[direction, default: 0] > 0 {
            skipped[direction, default: 0] -= bytes.readableBytes
            alreadyWritten[connection] = skipped
            return
        }
        // A connection whose opening the recording lacks still gets a TCP handshake.
        var tcp = connections[connection] ?? start(connection, clientAddress: nil, target: nil, at: time)
        tcp.send(bytes, from: direction.sender, at: time, into: &pending)
        connections[connection] = tcp
        frameBytesWritten[connection, default: [:]][direction, default: 0] += bytes.readableBytes
        frameCount += 1
    }

    private func start(
        _ connection: UInt64, clientAddress: String?, target: String?, at time: TrafficTimestamp
    ) -> SynthesizedTCPConnection {
        connectionCount += 1
        var clientPort = clientAddress.flatMap(Self.port(in:)) ?? 0
        if clientPort == 0 || clientPortsInUse.contains(clientPort) {
            repeat {
                clientPort = nextSynthesizedPort
                nextSynthesizedPort = nextSynthesizedPort == UInt16.max ? 49_152 : nextSynthesizedPort + 1
            } while clientPortsInUse.contains(clientPort)
        }
        clientPortsInUse.insert(clientPort)
        let url = target.flatMap { try? WebSocketURL($0) }
        let serverPort = options.keepsRecordedPorts ? UInt16(clamping: url?.port ?? 80) : 80
        var tcp = SynthesizedTCPConnection(
            client: .init(address: Self.clientAddress, port: clientPort, mac: 1),
            server: .init(address: Self.serverAddress, port: serverPort, mac: 2),
            maximumSegmentSize: options.maximumSegmentSize)
        var comment = "wstap connection \(connection)"
        if let clientAddress { comment += " from \(clientAddress)" }
        if let target { comment += " to \(target)" }
        tcp.open(at: time, comment: comment, into: &pending)
        return tcp
    }

    /// The port at the end of `host:port` or `[v6]:port`.
    static func port(in address: String) -> UInt16? {
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return UInt16(address[address.index(after: colon)...])
    }
}
