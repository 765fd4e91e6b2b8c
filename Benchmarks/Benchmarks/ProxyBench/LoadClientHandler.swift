import NIOCore
import NIOPosix
import WSTapCore

#if canImport(Glibc)
    import Glibc
#endif

/// One load-generator connection: sends the upgrade request, then runs its ``Workload``.
///
/// `@unchecked Sendable`: every property is touched on the channel's event loop only; the orchestrator
/// reaches it through `eventLoop.submit`.
final class LoadClientHandler: ChannelInboundHandler, FrameVisitor, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let workload: Workload
    let eventLoop: any EventLoop
    /// Succeeds when the server accepted the upgrade.
    let upgraded: EventLoopPromise<Void>
    /// Succeeds when a checked workload verified every echo and closed cleanly; fails with the reason.
    let finished: EventLoopPromise<Void>
    private let host: String
    private let port: Int
    private let path: String

    private var context: ChannelHandlerContext?
    private var isUpgraded = false
    private var pending = ByteBuffer()
    private var scanner = FrameScanner()
    private var running = false

    /// Messages echoed whole, and their payload bytes.
    private(set) var completedMessages = 0
    private(set) var echoedPayloadBytes = 0

    // pipelined: the window's frames, pre-built and masked once.
    private var batch = ByteBuffer()
    private var frameLength = 0
    private var completedThisRead = 0

    // pingPong
    private var pingFrame = ByteBuffer()
    private var sentAt: UInt64 = 0
    var recording = false
    private(set) var roundTripNanoseconds: [UInt64] = []

    // checked
    private var expected: [(opcode: UInt8, payload: [UInt8])] = []
    private var expectedHead = 0
    private var offsetInMessage = 0
    private var sent = 0
    private var closing = false
    private var keys = SystemRandomNumberGenerator()

    init(workload: Workload, host: String, port: Int, path: String = "/", eventLoop: any EventLoop) {
        self.workload = workload
        self.host = host
        self.port = port
        self.path = path
        self.eventLoop = eventLoop
        upgraded = eventLoop.makePromise()
        finished = eventLoop.makePromise()
        let key = MaskingKey(value: 0x37FA_213D)
        switch workload {
        case .pipelined(let payloadSize, let window):
            let payload = [UInt8](repeating: 0x61, count: payloadSize)
            for _ in 0..<window { writeMaskedFrame(opcode: 0x2, payload: payload, maskingKey: key, into: &batch) }
            frameLength = batch.readableBytes / window
        case .pipelinedText(let payload, let window):
            for _ in 0..<window { writeMaskedFrame(opcode: 0x1, payload: payload, maskingKey: key, into: &batch) }
            frameLength = batch.readableBytes / window
        case .pingPong(let payloadSize):
            writeMaskedFrame(
                opcode: 0x2, payload: [UInt8](repeating: 0x61, count: payloadSize), maskingKey: key, into: &pingFrame)
            roundTripNanoseconds.reserveCapacity(1 << 20)
        case .checked:
            break
        }
    }

    // MARK: - Orchestrator calls (on the event loop)

    func start() {
        guard let context, isUpgraded else { return }
        running = true
        switch workload {
        case .pipelined, .pipelinedText:
            context.writeAndFlush(wrapOutboundOut(batch), promise: nil)
        case .pingPong:
            sendPing(context: context)
        case .checked(let connection, let messages, let window):
            sendChecked(upTo: min(window, messages), connection: connection, messages: messages, context: context)
            context.flush()
        }
    }

    /// Stops sending and closes the connection.
    func stop() {
        running = false
        context?.close(promise: nil)
    }

    // MARK: - Channel

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        context.writeAndFlush(
            wrapOutboundOut(
                context.channel.allocator.buffer(string: OpeningHandshake.request(host: host, port: port, path: path))),
            promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if !isUpgraded {
            pending.writeBuffer(&buffer)
            guard let head = OpeningHandshake.takeHead(from: &pending) else { return }
            let accept = OpeningHandshake.headerValue("Sec-WebSocket-Accept", in: head)
            guard head.hasPrefix("HTTP/1.1 101"),
                accept == RFC6455Handshake.acceptValue(forKey: OpeningHandshake.clientKey)
            else {
                let reason = "upgrade refused: \(head.split(separator: "\r\n").first ?? "")"
                upgraded.fail(BenchFailure(reason))
                finished.fail(BenchFailure(reason))
                context.close(promise: nil)
                return
            }
            isUpgraded = true
            upgraded.succeed()
            buffer = pending
            pending = ByteBuffer()
        }
        completedThisRead = 0
        if pending.readableBytes > 0 {
            pending.writeBuffer(&buffer)
            scanner.scan(&pending, visitor: self)
            pending.discardReadBytes()
        } else {
            scanner.scan(&buffer, visitor: self)
            if buffer.readableBytes > 0 { pending.writeBuffer(&buffer) }
        }
        // As many pre-built frames as just came back (at most the window, so the slice exists).
        if running, workload.isPipelined, completedThisRead > 0,
            let frames = batch.getSlice(at: batch.readerIndex, length: completedThisRead * frameLength)
        {
            context.write(wrapOutboundOut(frames), promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        running = false
        let reason: String
        if case .checked(_, let messages, _) = workload {
            reason = "connection closed after \(completedMessages) of \(messages) echoes"
        } else {
            reason = "connection closed"
        }
        upgraded.fail(BenchFailure(reason))
        finished.fail(BenchFailure(reason))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finished.fail(BenchFailure("\(error)"))
        context.close(promise: nil)
    }

    // MARK: - Frames coming back

    func frameStarted(_ header: ScannedHeader) {
        guard case .checked = workload, header.opcode != 0x8 else { return }
        guard expectedHead < expected.count else {
            fail("an echo arrived that was never sent (opcode \(header.opcode), \(header.payloadLength) bytes)")
            return
        }
        let message = expected[expectedHead]
        if header.opcode != message.opcode || !header.fin || header.payloadLength != UInt64(message.payload.count)
            || header.maskingKey != nil
        {
            fail(
                "echo \(completedMessages): expected opcode \(message.opcode) with \(message.payload.count) bytes, "
                    + "got opcode \(header.opcode) fin \(header.fin) masked \(header.maskingKey != nil) "
                    + "with \(header.payloadLength) bytes")
        }
        offsetInMessage = 0
    }

    func payloadBytes(_ bytes: UnsafeRawBufferPointer, phase: Int, of header: ScannedHeader) {
        echoedPayloadBytes &+= bytes.count
        guard case .checked = workload, header.opcode != 0x8, expectedHead < expected.count else { return }
        let same = expected[expectedHead].payload.withUnsafeBytes { want -> Bool in
            guard offsetInMessage + bytes.count <= want.count, let wanted = want.baseAddress,
                let got = bytes.baseAddress
            else { return false }
            return memcmp(wanted + offsetInMessage, got, bytes.count) == 0
        }
        if !same { fail("echo \(completedMessages): payload differs near byte \(offsetInMessage)") }
        offsetInMessage += bytes.count
    }

    func frameEnded(_ header: ScannedHeader) {
        switch workload {
        case .pipelined, .pipelinedText:
            completedMessages &+= 1
            completedThisRead &+= 1
        case .pingPong:
            completedMessages &+= 1
            if recording { roundTripNanoseconds.append(Self.now() &- sentAt) }
            if running, let context { sendPing(context: context) }
        case .checked(let connection, let messages, _):
            if header.opcode == 0x8 {
                if closing, completedMessages == messages {
                    finished.succeed()
                } else {
                    fail("close frame after \(completedMessages) of \(messages) echoes")
                }
                context?.close(promise: nil)
                return
            }
            expected[expectedHead] = (0, [])
            expectedHead += 1
            completedMessages += 1
            guard let context, running else { return }
            if sent < messages {
                sendChecked(upTo: 1, connection: connection, messages: messages, context: context)
            } else if completedMessages == messages, !closing {
                closing = true
                var frame = ByteBuffer()
                writeMaskedFrame(opcode: 0x8, payload: [0x03, 0xE8], maskingKey: .random(using: &keys), into: &frame)
                context.write(wrapOutboundOut(frame), promise: nil)
            }
        }
    }

    // MARK: - Sending

    private func sendPing(context: ChannelHandlerContext) {
        sentAt = Self.now()
        context.writeAndFlush(wrapOutboundOut(pingFrame), promise: nil)
    }

    private func sendChecked(upTo count: Int, connection: Int, messages: Int, context: ChannelHandlerContext) {
        var frames = ByteBuffer()
        var added = 0
        while added < count, sent < messages {
            let opcode = CheckedMessages.opcode(index: sent)
            let payload = CheckedMessages.payload(connection: connection, index: sent)
            writeMaskedFrame(opcode: opcode, payload: payload, maskingKey: .random(using: &keys), into: &frames)
            expected.append((opcode, payload))
            sent += 1
            added += 1
        }
        if frames.readableBytes > 0 { context.write(wrapOutboundOut(frames), promise: nil) }
    }

    private func fail(_ reason: String) {
        running = false
        finished.fail(BenchFailure(reason))
        context?.close(promise: nil)
    }

    static func now() -> UInt64 { MonotonicClock.nanoseconds() }
}

/// A monotonic clock in nanoseconds.
enum MonotonicClock {
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// A failure the benchmark reports as it is.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
