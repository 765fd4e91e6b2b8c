import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import WSTapCore
import WSTapExport

/// Plays the server side of a recorded connection to every client that connects: answers the handshake
/// as recorded (subprotocol, extensions, other headers; the accept value computed for the client's key),
/// sends the frames the server sent first, then after each whole client message the server frames that
/// followed the same message in the recording, byte for byte. With ``MockServerOptions/Matching/exact``
/// each client message is compared with the recorded one and differences are reported.
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
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { child in
                    child.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                    }
                }
            return MockServer(channel: channel, script: script, options: options, report: report)
        } catch {
            throw ReplayError("cannot listen on \(host):\(port): \(error)")
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

    private func serve(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, number: Int) async {
        do {
            try await client.executeThenClose { inbound, outbound in
                var session = MockServerSession(script: script, matching: options.matching)
                for try await chunk in inbound {
                    let step = session.received(chunk)
                    for (kind, text) in step.reports { tell(kind, number, text) }
                    for bytes in step.writes { try await outbound.write(bytes) }
                    if step.closes { break }
                }
                for (kind, text) in session.finish() { tell(kind, number, text) }
            }
        } catch {
            tell(.finished, number, "connection failed: \(error)")
        }
    }
}
