import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
public import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapPipeline

/// Plays the client side of a recorded connection against a server: the recorded request (fresh keys,
/// the new host), then every frame the client sent, byte for byte, with fresh masking keys unless told
/// otherwise. Frames are written as raw bytes, not through a validating endpoint, so invalid frames are
/// sent as they were recorded. Everything that comes back is decoded and collected.
public enum ClientReplayer {
    /// Connects, replays and returns what the server sent. `events` sees the connection as a proxy would
    /// (opening, frames both ways, close).
    public static func run(
        _ script: ReplayScript, options: ClientReplayOptions,
        events: @escaping @Sendable (TrafficEvent) -> Void = { _ in }
    ) async throws(ReplayError) -> ClientReplayResult {
        let target = options.target
        let sslContext: NIOSSLContext?
        do {
            sslContext = target.isSecure ? try options.tls.makeContext() : nil
        } catch {
            throw ReplayError("TLS setup failed: \(error)")
        }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        // Watches the server's certificate (wss://), to say why it was refused; set on the connection's loop.
        let check = NIOLockedValueBox<ServerCertificateCheck?>(nil)
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: target.host, port: target.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let sslContext {
                            let (tls, watcher) = try ServerCertificateCheck.clientHandler(
                                context: sslContext, host: target.host)
                            try channel.pipeline.syncOperations.addHandler(tls)
                            check.withLockedValue { $0 = watcher }
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ReplayError("cannot connect to \(target): \(NetworkErrorText.describe(error))")
        }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                try await play(
                    script, options: options, channel: channel.channel, inbound: inbound,
                    outbound: outbound, certificate: check.withLockedValue { $0 }, events: events)
            }
        } catch let error as ReplayError {
            throw error
        } catch {
            let text = NetworkErrorText.describe(error, certificate: check.withLockedValue { $0 })
            throw ReplayError("replay to \(target) failed: \(text)")
        }
    }

    /// Returns at once, or once the consumer of the events has caught up if it is behind.
    private static func caughtUp(_ backpressure: (any TrafficBackpressure)?) async {
        guard let backpressure, backpressure.isBehind else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            backpressure.whenCaughtUp { continuation.resume() }
        }
    }

    private static func play(
        _ script: ReplayScript, options: ClientReplayOptions, channel: any Channel,
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        certificate: ServerCertificateCheck?, events: @escaping @Sendable (TrafficEvent) -> Void
    ) async throws -> ClientReplayResult {
        let request = ReplayHandshake.clientRequest(
            for: script.opened, target: options.target, keepsKeys: options.keepsMasks)
        let collector = ReplyCollector(
            connection: script.connection, responseBodyLength: ReplayHandshake.responseBodyLength(request.expectation),
            events: events)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await chunk in inbound {
                        await collector.received(chunk)
                        // Not asking for the next chunk stops reading from the socket.
                        await caughtUp(options.backpressure)
                    }
                } catch {
                    // A reset or TLS failure ends the server's side like a close does.
                    await collector.fail(NetworkErrorText.describe(error, certificate: certificate))
                }
                await collector.end()
            }
            defer {
                // Ends the reader, whatever happened here.
                channel.close(promise: nil)
            }
            var first = ByteBuffer(bytes: request.head.serialized())
            first.writeBytes(request.body)
            do {
                try await outbound.write(first)
            } catch {
                // A TLS failure closes the channel; the reader says why once it has seen the end.
                _ = try? await waitUntil(collector, timeout: .seconds(1)) { $0.failure != nil }
                let reason = await collector.failure ?? NetworkErrorText.describe(error, certificate: certificate)
                throw ReplayError("cannot send the handshake to \(options.target): \(reason)")
            }

            // The handshake response.
            let deadline = ContinuousClock.now + options.replyTimeout
            while await collector.response == nil, await collector.responseError == nil, await !collector.ended {
                guard ContinuousClock.now < deadline else {
                    throw ReplayError("no handshake response from \(options.target) within \(options.replyTimeout)")
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            if let error = await collector.responseError {
                throw ReplayError("the server's handshake response is malformed: \(error)")
            }
            guard let response = await collector.response else {
                let reason = await collector.failure.map { ": \($0)" } ?? ""
                throw ReplayError("\(options.target) closed the connection without answering the handshake\(reason)")
            }
            let deflate = try ReplayHandshake.validate(
                response.head, body: response.body, expectation: request.expectation)
            events(
                .connectionOpened(
                    .init(
                        connection: script.connection, clientAddress: channel.localAddress?.description ?? "?",
                        target: options.target.description, request: request.head, response: response.head,
                        variant: script.opened.variant, framing: script.opened.framing,
                        subprotocol: response.head.headers.first("Sec-WebSocket-Protocol"),
                        extensions: (try? ExtensionOffer.parse(response.head.headers)) ?? [], at: TrafficClock.now(),
                        requestBody: request.body, responseBody: response.body)))
            await collector.startFrames(
                variant: script.opened.variant, framing: script.opened.framing, deflate: deflate)

            // The client's frames.
            var generator = SystemRandomNumberGenerator()
            let start = ContinuousClock.now
            var sent = 0
            var timedOut = false
            var endedEarly = false
            for send in script.clientSends {
                if await collector.ended {
                    endedEarly = true
                    break
                }
                // A close frame always waits for the replies that came before it in the recording: a server
                // that receives the close stops sending, so they would be lost.
                let isClose = send.frame?.header.opcode == .close
                if options.waitsForReplies || isClose {
                    let needed = send.repliesBefore
                    if try await !waitUntil(
                        collector, timeout: options.replyTimeout, { $0.conversationalReplyCount >= needed })
                    {
                        timedOut = true
                    }
                } else if let speed = options.speed, speed > 0 {
                    let due = start + .nanoseconds(Int64(Double(send.offsetNanoseconds) / speed))
                    if due > ContinuousClock.now { try await Task.sleep(until: due) }
                }
                let bytes = wireBytes(send, keepsMasks: options.keepsMasks, using: &generator)
                await collector.sent(bytes)
                do {
                    try await outbound.write(bytes)
                } catch {
                    endedEarly = true
                    break
                }
                sent += 1
            }
            // The replies still due: all of them, the close included when one was recorded.
            let expected = script.serverMessages.count(where: \.isConversational)
            let expectsClose = script.serverMessages.contains { $0.opcode == .close }
            if !endedEarly {
                let complete = try await waitUntil(collector, timeout: options.replyTimeout) {
                    $0.conversationalReplyCount >= expected && (!expectsClose || $0.sawServerClose)
                }
                if !complete { timedOut = true }
            }
            // After a close exchange the server ends TCP; give it a moment, as a client would.
            if await collector.sawServerClose {
                _ = try await waitUntil(collector, timeout: .seconds(1)) { $0.ended }
            }
            let serverEnded = await collector.ended
            channel.close(promise: nil)
            group.cancelAll()
            try await group.waitForAll()
            events(await collector.closedEvent(closedBy: serverEnded ? .server : .client))
            return ClientReplayResult(
                response: response.head, replies: await collector.replies, sentCount: sent,
                serverEndedEarly: endedEarly, timedOut: timedOut)
        }
    }

    /// The bytes to send for one recorded piece: masked again with a fresh key unless `keepsMasks`.
    static func wireBytes(
        _ send: ReplayScript.ClientSend, keepsMasks: Bool, using generator: inout some RandomNumberGenerator
    ) -> ByteBuffer {
        guard !keepsMasks, let frame = send.frame, frame.header.isMasked else { return send.wireBytes }
        var header = frame.header
        header.maskingKey = .random(using: &generator)
        var buffer = ByteBufferAllocator().buffer(capacity: send.wireBytes.readableBytes)
        FrameEncoder.write(header: header, payload: frame.payload, into: &buffer)
        return buffer
    }

    /// Waits (polling the collector) until `condition` holds; false when `timeout` passed first. Stops
    /// early, returning the condition's value, when the server's side has ended.
    private static func waitUntil(
        _ collector: ReplyCollector, timeout: Duration,
        _ condition: @escaping @Sendable (isolated ReplyCollector) -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (met, ended) = await collector.check(condition)
            if met { return true }
            if ended || ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

extension ReplyCollector {
    /// Evaluates a condition on the collector's state, and says whether the server's side has ended.
    func check(_ condition: @Sendable (isolated ReplyCollector) -> Bool) -> (Bool, Bool) {
        (condition(self), ended)
    }
}
