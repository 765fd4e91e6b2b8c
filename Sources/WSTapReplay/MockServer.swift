import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapPipeline

/// Plays the server side of a recorded connection to every client that connects: answers the handshake
/// as recorded (subprotocol, extensions, other headers; the accept value, or the hybi-00 answer, computed
/// for the client's keys), sends the frames the server sent first, then after each whole client message
/// the server frames that followed the same message in the recording, byte for byte, each as long after
/// that message as recorded (scaled by ``MockServerOptions/speed``). With
/// ``MockServerOptions/Matching/exact`` each client message is compared with the recorded one and
/// differences are reported. Serves `wss://` with ``MockServerOptions/tls``, and closes clients silent for
/// ``MockServerOptions/idleTimeout``.
public final class MockServer: Sendable {
    private let channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let script: ReplayScript
    private let options: MockServerOptions
    private let report: @Sendable (MockServerReport) -> Void
    private let counters = NIOLockedValueBox((connections: 0, problems: 0))

    /// The port it listens on.
    public var port: Int { channel.channel.localAddress?.port ?? 0 }

    /// How many reports said something went wrong (refused handshakes, mismatches).
    public var problemCount: Int { counters.withLockedValue { $0.problems } }

    private init(
        channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>, script: ReplayScript,
        options: MockServerOptions, report: @escaping @Sendable (MockServerReport) -> Void
    ) {
        self.channel = channel
        self.script = script
        self.options = options
        self.report = report
    }

    /// Listens on `host:port` (port 0 picks a free one); call ``run()`` to serve.
    public static func start(
        _ script: ReplayScript, host: String = "127.0.0.1", port: Int, options: MockServerOptions = .init(),
        report: @escaping @Sendable (MockServerReport) -> Void = { _ in }
    ) async throws(ReplayError) -> MockServer {
        let sslContext: NIOSSLContext?
        do {
            sslContext = try options.tls?.makeContext()
        } catch {
            throw ReplayError(error.description)
        }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { child in
                    child.eventLoop.makeCompletedFuture {
                        if let sslContext {
                            try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                    }
                }
            return MockServer(channel: channel, script: script, options: options, report: report)
        } catch {
            throw ReplayError("cannot listen on \(host):\(port): \(NetworkErrorText.describe(error))")
        }
    }

    /// Serves connections until ``stop()`` (or after the first one with ``MockServerOptions/servesOnce``).
    public func run() async throws {
        try await channel.executeThenClose { clients in
            try await withThrowingDiscardingTaskGroup { group in
                for try await client in clients {
                    let number = counters.withLockedValue {
                        $0.connections += 1
                        return $0.connections
                    }
                    if options.servesOnce {
                        await serve(client, number: number)
                        return
                    }
                    group.addTask { await self.serve(client, number: number) }
                }
            }
        }
    }

    /// Stops listening.
    public func stop() async {
        try? await channel.channel.close()
    }

    private func tell(_ kind: MockServerReport.Kind, _ number: Int, _ text: String) {
        if kind == .rejected || kind == .mismatch {
            counters.withLockedValue { $0.problems += 1 }
        }
        report(MockServerReport(kind: kind, connection: number, text: text))
    }

    /// What the writer of one connection sends, in order.
    private enum Outgoing: Sendable {
        case bytes(ByteBuffer, due: ContinuousClock.Instant, isFrames: Bool)
        /// Close the connection once everything before it went out.
        case close
    }

    /// What the reader and the idle watcher of one connection share.
    private struct Liveness {
        var lastRead = ContinuousClock.now
        var handshakeDone = false
        var closedForIdling = false
    }

    private func serve(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, number: Int) async {
        let liveness = NIOLockedValueBox(Liveness())
        let traffic = options.consumer.map {
            TrafficPublisher(connection: UInt64(number), consumer: $0, captureLimit: options.captureLimit)
        }
        defer { traffic?.closed(error: nil) }
        do {
            try await client.executeThenClose { inbound, outbound in
                let idleWatch = options.idleTimeout.map { idle in
                    Task {
                        await self.closeWhenIdle(
                            client.channel, outbound, liveness, idle: idle, number: number, traffic: traffic)
                    }
                }
                defer { idleWatch?.cancel() }
                let (queue, queued) = AsyncStream.makeStream(of: Outgoing.self)
                var session = MockServerSession(script: script, matching: options.matching, secure: options.tls != nil)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // The writer: each piece when it is due (the recorded spacing), in order.
                    group.addTask {
                        do {
                            for await item in queue {
                                switch item {
                                case .bytes(let bytes, let due, let isFrames):
                                    if due > .now { try await Task.sleep(until: due) }
                                    try await outbound.write(bytes)
                                    if isFrames { traffic?.bytes(bytes, direction: .serverToClient) }
                                case .close:
                                    try await client.channel.close()
                                    return
                                }
                            }
                        } catch {
                            // The client went away, or the connection is ending: nothing more to send.
                        }
                    }
                    var closes = false
                    for try await chunk in inbound {
                        let idling = liveness.withLockedValue {
                            $0.lastRead = .now
                            return $0.closedForIdling
                        }
                        if idling {
                            // The client answered the idle close: done.
                            break
                        }
                        let now = ContinuousClock.now
                        let step = session.received(chunk)
                        if let (recorded, compression) = step.opened {
                            var opened = recorded
                            let local = client.channel.localAddress?.hostAndPortText ?? "?"
                            opened.connection = UInt64(number)
                            opened.clientAddress = client.channel.remoteAddress?.hostAndPortText ?? "?"
                            opened.target = "\(options.tls == nil ? "ws" : "wss")://\(local)\(opened.target)"
                            traffic?.opened(opened, compression: compression)
                        }
                        traffic?.bytes(step.clientFrameBytes, direction: .clientToServer)
                        liveness.withLockedValue { $0.handshakeDone = session.isOpen }
                        for (kind, text) in step.reports { tell(kind, number, text) }
                        for write in step.writes {
                            queued.yield(
                                .bytes(write.bytes, due: now + scaled(write.delayNanoseconds), isFrames: write.isFrames)
                            )
                        }
                        if step.closes {
                            closes = true
                            break
                        }
                    }
                    if closes {
                        queued.yield(.close)
                        queued.finish()
                        try await group.waitForAll()
                    } else {
                        // The client left (or answered an idle close): what is still due has nobody to go to.
                        queued.finish()
                        group.cancelAll()
                    }
                }
                for (kind, text) in session.finish() { tell(kind, number, text) }
            }
        } catch {
            traffic?.closed(error: NetworkErrorText.describe(error))
            tell(.finished, number, "connection failed: \(NetworkErrorText.describe(error))")
        }
    }

    /// A recorded delay at ``MockServerOptions/speed``.
    private func scaled(_ nanoseconds: UInt64) -> Duration {
        guard let speed = options.speed, speed > 0 else { return .zero }
        return .nanoseconds(Int64(min(Double(nanoseconds) / speed, Double(Int64.max))))
    }

    /// Waits until the client has been silent for `idle`, then closes: with a close frame (1001 "idle
    /// timeout", or hybi-00's closing frame) once the handshake is done, after which the client has a
    /// moment to answer; at once before.
    private func closeWhenIdle(
        _ channel: any Channel, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        _ liveness: NIOLockedValueBox<Liveness>, idle: Duration, number: Int, traffic: TrafficPublisher?
    ) async {
        do {
            while true {
                let deadline = liveness.withLockedValue { $0.lastRead } + idle
                if ContinuousClock.now >= deadline { break }
                try await Task.sleep(until: deadline)
            }
            let open = liveness.withLockedValue {
                $0.closedForIdling = true
                return $0.handshakeDone
            }
            guard open else {
                tell(.idle, number, "no complete handshake within \(idle): closed the connection")
                try await channel.close()
                return
            }
            var frame = ByteBuffer()
            switch script.opened.variant {
            case .rfc6455:
                frame.writeBytes(try FrameEncoder.encode(.close(code: .goingAway, reason: "idle timeout")))
                tell(.idle, number, "nothing from the client for \(idle): sent close 1001 \"idle timeout\"")
            case .hybi00:
                Hybi00FrameEncoder.writeClose(framing: script.opened.framing, into: &frame)
                tell(.idle, number, "nothing from the client for \(idle): sent the closing frame")
            }
            try await outbound.write(frame)
            traffic?.bytes(frame, direction: .serverToClient)
            try await Task.sleep(for: .seconds(2))
            try await channel.close()
        } catch {
            // Cancelled: the connection ended first.
        }
    }
}
