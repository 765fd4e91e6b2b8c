import NIOCore
import NIOPosix
import WSTapCore

/// One end of a TCP connection with no WebSocket logic: it writes whatever bytes a test crafts and
/// decodes what the endpoint under test sends back with the tolerant ``FrameDecoder``, which names every
/// rule a frame breaks (a masked server frame, an unmasked client frame...).
actor RawPeer {
    /// What reading the next frame found.
    enum Reading: Sendable {
        case frame(DecodedFrame)
        /// The endpoint closed TCP (and every frame before that was read).
        case endOfStream
        /// Nothing within the time allowed.
        case timedOut
    }

    /// The role this raw peer plays: a raw client masks its frames, a raw server does not.
    let role: EndpointRole
    private let channel: any Channel
    private let inbox: RawInbox
    private var decoder: FrameDecoder
    private var handshakeBytes = ByteBuffer()
    private var ended = false
    private var generator = SystemRandomNumberGenerator()

    init(role: EndpointRole, channel: any Channel, inbox: RawInbox) {
        self.role = role
        self.channel = channel
        self.inbox = inbox
        decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: role == .client ? .server : .client))
    }

    // MARK: Writing

    /// Writes bytes as they are, in writes of at most `chop` bytes each (one TCP segment each, since
    /// Nagle's algorithm is off). Errors are ignored: the endpoint may have closed already.
    func write(_ bytes: [UInt8], chop: Int? = nil) async {
        let size = max(1, chop ?? bytes.count)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + size)
            let buffer = channel.allocator.buffer(bytes: bytes[offset..<end])
            do {
                try await channel.writeAndFlush(buffer).get()
            } catch {
                return
            }
            offset = end
        } while offset < bytes.count
    }

    /// The wire bytes of frames; a raw client masks every frame whose spec says `.none` (with a random
    /// key) unless `asGiven`.
    func encode(_ frames: [FrameSpec], asGiven: Bool = false) -> [UInt8] {
        var buffer = ByteBuffer()
        for var spec in frames {
            if role == .client, spec.mask == .none, !asGiven { spec.mask = .random }
            do {
                try FrameEncoder.encode(spec, into: &buffer, using: &generator)
            } catch {
                preconditionFailure("a conformance case crafts an unencodable frame: \(error)")
            }
        }
        return Array(buffer.readableBytesView)
    }

    /// Sends frames, all in one write or in writes of `chop` bytes.
    func send(_ frames: [FrameSpec], chop: Int? = nil) async {
        await write(encode(frames), chop: chop)
    }

    /// Sends one frame.
    func send(_ frame: FrameSpec) async {
        await send([frame])
    }

    /// Closes TCP from this side.
    func closeTransport() async {
        try? await channel.close()
    }

    // MARK: Reading

    /// Reads an HTTP head (up to its blank line); bytes after it are kept for the frame decoder.
    func readHead(timeout: Duration = .seconds(5)) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let length = try HTTPHeadParser.headLength(in: handshakeBytes.readableBytesView) {
                let head = handshakeBytes.readBytes(length: length) ?? []
                decoder.append(handshakeBytes)
                handshakeBytes = ByteBuffer()
                return head
            }
            var (bytes, ended) = inbox.take()
            let arrived = bytes.readableBytes
            handshakeBytes.writeBuffer(&bytes)
            if arrived > 0 { continue }
            if ended { throw RawPeerError("TCP ended during the opening handshake") }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw RawPeerError("no HTTP head within \(timeout)") }
            await inbox.waitForInput(timeout: left)
        }
    }

    /// The next frame the endpoint sent, the end of TCP, or a time-out.
    func nextFrame(timeout: Duration = .seconds(5)) async -> Reading {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let frame = decoder.nextFrame() { return .frame(frame) }
            if ended { return .endOfStream }
            let (bytes, ended) = inbox.take()
            if bytes.readableBytes > 0 {
                decoder.append(bytes)
                continue
            }
            if ended {
                self.ended = true
                continue
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return .timedOut }
            await inbox.waitForInput(timeout: left)
        }
    }
}

/// A failure of the raw peer's own plumbing (not of the endpoint under test).
struct RawPeerError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Opens raw TCP connections on loopback with Nagle's algorithm off.
enum RawTCP {
    /// Connects to `127.0.0.1:port` and feeds what arrives into `inbox`.
    static func connect(port: Int, inbox: RawInbox) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawInboxHandler(inbox: inbox))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }
}

/// Shorthands for checks on a reading.
extension RawPeer.Reading {
    var isTimeOut: Bool {
        if case .timedOut = self { return true }
        return false
    }

    var isEndOfStream: Bool {
        if case .endOfStream = self { return true }
        return false
    }
}
