public import NIOCore
import NIOPosix
public import NIOSSL
public import WSTapCore

/// One end of a TCP connection with no WebSocket logic: it writes whatever bytes a case crafts and
/// decodes what the endpoint under test sends back with the tolerant ``FrameDecoder``, which names every
/// rule a frame breaks (a masked server frame, an unmasked client frame...).
public actor RawPeer {
    /// What reading the next frame found.
    public enum Reading: Sendable {
        case frame(DecodedFrame)
        /// The endpoint closed TCP (and every frame before that was read).
        case endOfStream
        /// Nothing within the time allowed.
        case timedOut
    }

    /// How frames are masked on the way out.
    public enum Masking: Hashable, Sendable {
        /// By the rules: a raw client masks every frame whose spec says `.none` (with a random key); a raw
        /// server sends frames as given.
        case byRole
        /// As each spec says, nothing added.
        case asGiven
        /// The wrong way round on purpose: a raw client sends unmasked frames, a raw server masked ones.
        case wrongWay
    }

    /// The role this raw peer plays: a raw client masks its frames, a raw server does not.
    public let role: EndpointRole
    private let channel: any Channel
    private let inbox: RawInbox
    private var decoder: FrameDecoder
    private var handshakeBytes = ByteBuffer()
    private var ended = false
    private var generator = SystemRandomNumberGenerator()
    /// Bytes that came after the handshake's head, not yet given to the decoder (nor to the observer).
    private var afterHead = ByteBuffer()
    /// Hears the bytes of the connection after the handshake, both ways, in order (for transcripts).
    private var observer: (@Sendable (ByteBuffer, _ sent: Bool) -> Void)?
    /// The opening handshake, once done.
    public private(set) var handshake: (request: HTTPRequestHead, response: HTTPResponseHead)?

    /// A raw peer over `channel`, whose bytes arrive in `inbox`.
    public init(role: EndpointRole, channel: any Channel, inbox: RawInbox) {
        self.role = role
        self.channel = channel
        self.inbox = inbox
        decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: role == .client ? .server : .client))
    }

    // MARK: Writing

    /// Writes bytes as they are, in writes of at most `chop` bytes each (one TCP segment each, since
    /// Nagle's algorithm is off). Errors are ignored: the endpoint may have closed already.
    public func write(_ bytes: [UInt8], chop: Int? = nil) async {
        let size = max(1, chop ?? bytes.count)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + size)
            let buffer = channel.allocator.buffer(bytes: bytes[offset..<end])
            observer?(buffer, true)
            do {
                try await channel.writeAndFlush(buffer).get()
            } catch {
                return
            }
            offset = end
        } while offset < bytes.count
    }

    /// The wire bytes of frames, masked as `masking` says, with the offset where each frame starts.
    public func encodeFrames(
        _ frames: [FrameSpec], masking: Masking = .byRole
    ) throws(FrameEncodingError) -> (bytes: [UInt8], starts: [Int]) {
        var buffer = ByteBuffer()
        var starts: [Int] = []
        for var spec in frames {
            starts.append(buffer.writerIndex)
            switch masking {
            case .byRole:
                if role == .client, spec.mask == .none { spec.mask = .random }
            case .asGiven:
                break
            case .wrongWay:
                spec.mask = role == .client ? .none : .random
            }
            try FrameEncoder.encode(spec, into: &buffer, using: &generator)
        }
        return (Array(buffer.readableBytesView), starts)
    }

    /// The wire bytes of frames, masked as `masking` says; frames that cannot be encoded (a declared length
    /// the header cannot hold) are left out.
    public func encode(_ frames: [FrameSpec], masking: Masking = .byRole) -> [UInt8] {
        frames.flatMap { frame in (try? encodeFrames([frame], masking: masking).bytes) ?? [] }
    }

    /// Sends frames, all in one write or in writes of `chop` bytes.
    public func send(_ frames: [FrameSpec], chop: Int? = nil) async {
        await write(encode(frames), chop: chop)
    }

    /// Sends one frame.
    public func send(_ frame: FrameSpec) async {
        await send([frame])
    }

    /// From now on RSV1 marks a compressed message (the connection agreed to permessage-deflate): not a violation,
    /// and its payload is not checked as UTF-8 until inflated. Call it before reading the first frame.
    public func acceptCompressedFrames() {
        var configuration = decoder.configuration
        configuration.allowedReservedBits = .rsv1
        decoder = FrameDecoder(configuration: configuration)
    }

    /// Keeps the opening handshake (for transcripts).
    public func setHandshake(request: HTTPRequestHead, response: HTTPResponseHead) {
        handshake = (request, response)
    }

    /// From now on, hands `observer` every byte written (`sent` true) and received after the handshake.
    public func observe(_ observer: @escaping @Sendable (ByteBuffer, _ sent: Bool) -> Void) {
        self.observer = observer
    }

    /// The first error the connection reported (a reset, a TLS failure), if any.
    public nonisolated var transportError: (any Error)? { inbox.error }

    /// Resets TCP from this side (an abortive close, SO_LINGER 0): the other end learns at once that the
    /// connection is gone, whatever it was waiting for.
    public func resetTransport() async {
        if let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }

    /// Closes TCP from this side.
    public func closeTransport() async {
        try? await channel.close()
    }

    // MARK: Reading

    /// Reads an HTTP head (up to its blank line); bytes after it are kept for the frame decoder.
    public func readHead(timeout: Duration = .seconds(5)) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let length = try HTTPHeadParser.headLength(in: handshakeBytes.readableBytesView) {
                let head = handshakeBytes.readBytes(length: length) ?? []
                afterHead = handshakeBytes
                handshakeBytes = ByteBuffer()
                return head
            }
            var (bytes, ended) = inbox.take()
            let arrived = bytes.readableBytes
            handshakeBytes.writeBuffer(&bytes)
            if arrived > 0 { continue }
            if ended {
                if let error = inbox.error { throw error }
                throw RawPeerError("TCP ended during the opening handshake")
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw RawPeerError("no HTTP head within \(timeout)") }
            await inbox.waitForInput(timeout: left)
        }
    }

    /// Bytes as they come after the handshake's head, for a protocol the frame decoder does not read (hybi-00): at
    /// least `count` of them, or what came before TCP ended (``isAtEnd``) or `timeout` ran out.
    public func readRaw(count: Int, timeout: Duration) async -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var collected = afterHead
        afterHead = ByteBuffer()
        while collected.readableBytes < count, !ended {
            var (bytes, ended) = inbox.take()
            if bytes.readableBytes > 0 {
                observer?(bytes, false)
                collected.writeBuffer(&bytes)
                continue
            }
            if ended {
                self.ended = true
                break
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            await inbox.waitForInput(timeout: left)
        }
        return Array(collected.readableBytesView)
    }

    /// Whether the endpoint ended TCP (as far as read).
    public var isAtEnd: Bool { ended }

    /// The next frame the endpoint sent, the end of TCP, or a time-out.
    public func nextFrame(timeout: Duration = .seconds(5)) async -> Reading {
        let deadline = ContinuousClock.now + timeout
        if afterHead.readableBytes > 0 {
            observer?(afterHead, false)
            decoder.append(afterHead)
            afterHead = ByteBuffer()
        }
        while true {
            if let frame = decoder.nextFrame() { return .frame(frame) }
            if ended { return .endOfStream }
            let (bytes, ended) = inbox.take()
            if bytes.readableBytes > 0 {
                observer?(bytes, false)
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

/// A failure of the raw peer's own plumbing (not a verdict on the endpoint under test).
public struct RawPeerError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error that says `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// Opens raw TCP connections with Nagle's algorithm off.
public enum RawTCP {
    /// Connects to `host:port` (through TLS with `tls`, verifying the certificate for `host`) and feeds what
    /// arrives into `inbox`.
    public static func connect(
        host: String = "127.0.0.1", port: Int, tls: NIOSSLContext? = nil, inbox: RawInbox
    ) async throws -> any Channel {
        let serverName = host.first?.isNumber == true || host.contains(":") ? nil : host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(RawInboxHandler(inbox: inbox))
                }
            }
            .connect(host: host, port: port).get()
        return channel
    }
}

/// Shorthands for checks on a reading.
extension RawPeer.Reading {
    /// Whether nothing came in the time allowed.
    public var isTimeOut: Bool {
        if case .timedOut = self { return true }
        return false
    }

    /// Whether TCP ended.
    public var isEndOfStream: Bool {
        if case .endOfStream = self { return true }
        return false
    }
}
