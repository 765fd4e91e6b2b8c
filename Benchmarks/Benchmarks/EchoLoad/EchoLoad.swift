// An echo-throughput load generator for WebSocket servers, and wstap's own echo server to measure.
//
//   EchoLoad serve                                   wstap's echo server on 127.0.0.1 (prints its port)
//   EchoLoad load PORT SIZE CONNECTIONS IN_FLIGHT SECONDS
//                                                    messages/s and MB/s with IN_FLIGHT messages per connection
//   EchoLoad latency PORT SIZE COUNT                 round trips one at a time: p50 and p99
//   EchoLoad client PORT SIZE IN_FLIGHT SECONDS API loop|pool
//                                                    the library's client (WebSocketClient) as the generator,
//                                                    through one API (events, seed, stream), its task on the
//                                                    connection's event loop or on the shared pool (EchoLoadClient)
//
// The generator runs on one event loop thread. It pre-builds its masked frames once (a fixed masking key),
// so sending is writing slices of one buffer: no per-frame allocation or masking. Replies are counted by
// reading frame headers and skipping payloads. See ../docs/performance.md.
import Foundation
import NIOCore
import NIOPosix
import WSTapCore
import WSTapNetwork

@main
enum EchoLoad {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "serve":
            var options = ServerOptions(maxMessageSize: 64 << 20, compression: nil)
            options.runsHandlersOnEventLoop = true
            let server = try await WebSocketServer.start(port: 0, options: options, handler: WebSocketServer.echo)
            FileHandle.standardOutput.write(Data("\(server.port)\n".utf8))
            while true { try await Task.sleep(for: .seconds(3600)) }
        case "load" where arguments.count == 6:
            guard let port = Int(arguments[1]), let size = Int(arguments[2]), let connections = Int(arguments[3]),
                let inFlight = Int(arguments[4]), let seconds = Double(arguments[5])
            else { return usage() }
            let result = try await load(
                port: port, size: size, connections: connections, inFlight: inFlight, seconds: seconds)
            print(
                String(
                    format: "size=%d connections=%d in_flight=%d messages_per_s=%.0f MB_per_s=%.1f", size,
                    connections, inFlight, result.messagesPerSecond, result.megabytesPerSecond))
        case "latency" where arguments.count == 4:
            guard let port = Int(arguments[1]), let size = Int(arguments[2]), let count = Int(arguments[3]) else {
                return usage()
            }
            let times = try await latency(port: port, size: size, count: count).sorted()
            let p50 = times[times.count / 2]
            let p99 = times[min(times.count - 1, times.count * 99 / 100)]
            print(
                String(
                    format: "size=%d round_trips=%d p50_us=%.1f p99_us=%.1f", size, times.count, Double(p50) / 1000,
                    Double(p99) / 1000))
        case "client" where arguments.count == 7:
            guard let port = Int(arguments[1]), let size = Int(arguments[2]), let inFlight = Int(arguments[3]),
                let seconds = Double(arguments[4]), let api = EchoLoadClient.API(rawValue: arguments[5]),
                ["loop", "pool"].contains(arguments[6])
            else { return usage() }
            let rate = try await EchoLoadClient.run(
                port: port, size: size, inFlight: inFlight, seconds: seconds, api: api, onLoop: arguments[6] == "loop")
            print(
                "client api=\(arguments[5]) on=\(arguments[6]) "
                    + String(
                        format: "size=%d in_flight=%d messages_per_s=%.0f MB_per_s=%.1f", size, inFlight, rate,
                        rate * Double(size) / 1e6))
        default:
            usage()
        }
    }

    static func usage() {
        FileHandle.standardError.write(
            Data(
                ("usage: EchoLoad serve | load PORT SIZE CONNECTIONS IN_FLIGHT SECONDS | latency PORT SIZE COUNT"
                    + " | client PORT SIZE IN_FLIGHT SECONDS events|seed|stream loop|pool\n").utf8))
        exit(2)
    }

    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Opens a load connection and waits for its opening handshake.
    static func connect(
        port: Int, frames: EchoLoadFrames, mode: EchoLoadHandler.Mode
    ) async throws -> (any Channel, NIOLoopBound<EchoLoadHandler>) {
        let loop = group.next()
        let installed = loop.makePromise(of: NIOLoopBound<EchoLoadHandler>.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = EchoLoadHandler(frames: frames, port: port, mode: mode)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    installed.succeed(NIOLoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let handler = try await installed.futureResult.get()
        try await loop.flatSubmit { handler.value.upgraded }.get()
        return (channel, handler)
    }

    static func load(
        port: Int, size: Int, connections: Int, inFlight: Int, seconds: Double
    ) async throws -> (messagesPerSecond: Double, megabytesPerSecond: Double) {
        let frames = EchoLoadFrames(size: size, count: inFlight)
        var channels: [(any Channel, NIOLoopBound<EchoLoadHandler>)] = []
        for _ in 0..<connections {
            channels.append(try await connect(port: port, frames: frames, mode: .throughput))
        }
        func total() async throws -> Int {
            var sum = 0
            for (channel, handler) in channels {
                sum += try await channel.eventLoop.submit { handler.value.received }.get()
            }
            return sum
        }
        try await Task.sleep(for: .seconds(1))  // warm-up
        let start = try await total()
        let startTime = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let end = try await total()
        let elapsed = ContinuousClock.now - startTime
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        for (channel, _) in channels { try? await channel.close() }
        let rate = Double(end - start) / elapsedSeconds
        return (rate, rate * Double(size) / 1e6)
    }

    static func latency(port: Int, size: Int, count: Int) async throws -> [UInt64] {
        let frames = EchoLoadFrames(size: size, count: 1)
        let (channel, handler) = try await connect(port: port, frames: frames, mode: .latency(count: count))
        let times = try await channel.eventLoop.flatSubmit { handler.value.finished }.get()
        try? await channel.close()
        return times
    }
}

/// `count` copies of one masked binary frame of `size` bytes, built once.
struct EchoLoadFrames: Sendable {
    let buffer: ByteBuffer
    let frameSize: Int
    let payloadSize: Int

    init(size: Int, count: Int) {
        var generator = SystemRandomNumberGenerator()
        let key = MaskingKey.random(using: &generator)
        let payload = ByteBuffer(repeating: 0x61, count: size)
        var one = ByteBuffer()
        FrameEncoder.write(
            header: FrameHeader(fin: true, opcode: .binary, maskingKey: key, payloadLength: UInt64(size)),
            payload: payload, into: &one)
        var all = ByteBuffer()
        all.reserveCapacity(one.readableBytes * count)
        for _ in 0..<count { all.writeImmutableBuffer(one) }
        buffer = all
        frameSize = one.readableBytes
        payloadSize = size
    }

    /// The first `count` frames (a slice: no copy).
    func slice(_ count: Int) -> ByteBuffer {
        buffer.getSlice(at: buffer.readerIndex, length: count * frameSize) ?? ByteBuffer()
    }
}

/// One load connection: the opening handshake, then frames out and replies counted.
final class EchoLoadHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Mode: Sendable {
        case throughput
        case latency(count: Int)
    }

    private let frames: EchoLoadFrames
    private let port: Int
    private let mode: Mode
    private var head = ByteBuffer()
    private var open = false
    /// Replies fully received.
    private(set) var received = 0
    private var toSend = 0
    /// The reply frame being skipped: header bytes kept until whole, then payload bytes left.
    private var headerBytes: [UInt8] = []
    private var payloadLeft = 0
    private var sentAt: UInt64 = 0
    private var times: [UInt64] = []
    private var upgradePromise: EventLoopPromise<Void>?
    private var finishedPromise: EventLoopPromise<[UInt64]>?
    var upgraded: EventLoopFuture<Void> { upgradePromise!.futureResult }  // set in handlerAdded, before use
    var finished: EventLoopFuture<[UInt64]> { finishedPromise!.futureResult }  // set in handlerAdded

    init(frames: EchoLoadFrames, port: Int, mode: Mode) {
        self.frames = frames
        self.port = port
        self.mode = mode
        headerBytes.reserveCapacity(14)
        if case .latency(let count) = mode { times.reserveCapacity(count) }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        upgradePromise = context.eventLoop.makePromise()
        finishedPromise = context.eventLoop.makePromise()
    }

    func channelActive(context: ChannelHandlerContext) {
        let request =
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if !open {
            head.writeBuffer(&bytes)
            guard let end = head.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
            let headText = String(decoding: head.readableBytesView[..<end.upperBound], as: UTF8.self)
            guard headText.hasPrefix("HTTP/1.1 101") else {
                upgradePromise?.fail(EchoLoadError("no 101: \(headText.prefix(80))"))
                context.close(promise: nil)
                return
            }
            open = true
            head.moveReaderIndex(to: end.upperBound)
            bytes = head
            upgradePromise?.succeed()
            switch mode {
            case .throughput:
                context.writeAndFlush(wrapOutboundOut(frames.slice(frames.buffer.readableBytes / frames.frameSize)), promise: nil)
            case .latency:
                sendOne(context: context)
            }
        }
        countReplies(in: bytes)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard toSend > 0 else { return }
        switch mode {
        case .throughput:
            context.writeAndFlush(wrapOutboundOut(frames.slice(toSend)), promise: nil)
            toSend = 0
        case .latency(let count):
            toSend = 0
            if times.count >= count {
                finishedPromise?.succeed(times)
            } else {
                sendOne(context: context)
            }
        }
    }

    private func sendOne(context: ChannelHandlerContext) {
        sentAt = DispatchTime.now().uptimeNanoseconds
        context.writeAndFlush(wrapOutboundOut(frames.slice(1)), promise: nil)
    }

    /// Counts the reply frames in `bytes` by their headers, skipping their payloads.
    private func countReplies(in bytes: ByteBuffer) {
        bytes.withUnsafeReadableBytes { raw in
            var index = 0
            while index < raw.count {
                if payloadLeft > 0 {
                    let skip = min(payloadLeft, raw.count - index)
                    payloadLeft -= skip
                    index += skip
                    if payloadLeft == 0 { replyDone() }
                    continue
                }
                headerBytes.append(raw[index])
                index += 1
                guard headerBytes.count >= 2 else { continue }
                let length7 = Int(headerBytes[1] & 0x7F)
                let needed = length7 == 126 ? 4 : length7 == 127 ? 10 : 2
                guard headerBytes.count == needed else { continue }
                var length = length7
                if length7 == 126 {
                    length = Int(headerBytes[2]) << 8 | Int(headerBytes[3])
                } else if length7 == 127 {
                    length = headerBytes[2...9].reduce(0) { $0 << 8 | Int($1) }
                }
                headerBytes.removeAll(keepingCapacity: true)
                if length == 0 { replyDone() } else { payloadLeft = length }
            }
        }
    }

    private func replyDone() {
        received += 1
        toSend += 1
        if case .latency = mode { times.append(DispatchTime.now().uptimeNanoseconds - sentAt) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        upgradePromise?.fail(error)
        finishedPromise?.fail(error)
        context.close(promise: nil)
    }
}

struct EchoLoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
