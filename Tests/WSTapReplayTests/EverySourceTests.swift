import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapPipeline
import WSTapProxy
import WSTapReplay
import WSTapTestSupport

/// One consumer, written once, plugged into each of the six sources of traffic (reverse proxy, forward
/// proxy, a client like `wstap connect`, a server like `wstap serve`, the mock server, the client replayer)
/// with the same conversation against real peers (python3-websockets): every source publishes the same
/// events, with the same frames and the same joined messages.
@Suite(.serialized) struct EverySourceTests {
    /// Counts what a source published.
    final class CountingConsumer: TrafficConsumer {
        struct Counts: Sendable {
            var opened = 0
            var closed = 0
            var frames: [TrafficDirection: Int] = [:]
            var wireBytes: [TrafficDirection: UInt64] = [:]
            var streamBytes: [TrafficDirection: Int] = [:]
            var messages: [TrafficDirection: [[UInt8]]] = [:]
            var all: [TrafficEvent] = []
        }

        let counts = NIOLockedValueBox(Counts())

        /// It counts messages too: the sources join frames into messages for it.
        var wantsMessages: Bool { true }

        func consume(_ event: TrafficEvent) {
            counts.withLockedValue { counts in
                counts.all.append(event)
                switch event {
                case .connectionOpened: counts.opened += 1
                case .connectionClosed: counts.closed += 1
                case .frame(let seen):
                    counts.frames[seen.direction, default: 0] += 1
                    if case .rfc6455(let frame) = seen.content {
                        counts.wireBytes[seen.direction, default: 0] += frame.wireLength
                    }
                case .message(let message):
                    counts.messages[message.direction, default: []].append(Array(message.payload.readableBytesView))
                default: break
                }
            }
        }

        func consumeStreamBytes(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection) {
            counts.withLockedValue { $0.streamBytes[direction, default: 0] += bytes.readableBytes }
        }

        var snapshot: Counts { counts.withLockedValue { $0 } }
    }

    /// The data messages of ``RecordedSession/conversation(_:)``, which the echo server sends back.
    static let conversationMessages: [[UInt8]] = [
        Array("Hello".utf8), [0, 1, 2, 0xFE, 0xFF], Array("fragmented".utf8),
        Array(String(repeating: "long ", count: 30_000).utf8),
    ]

    /// Waits until the source reported the connection's end.
    static func waitForClose(_ consumer: CountingConsumer) async {
        await waitUntil { consumer.snapshot.closed > 0 }
    }

    /// What every source of the same conversation must have published: one opening and one close, the
    /// conversation's messages joined each way, and (where the source sees the bytes) every byte once.
    static func expectTheConversation(
        _ counts: CountingConsumer.Counts, _ source: String, streamBytes: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(counts.opened == 1 && counts.closed == 1, "\(source)", sourceLocation: sourceLocation)
        for direction in TrafficDirection.allCases {
            #expect(
                counts.messages[direction] ?? [] == conversationMessages, "\(source) \(direction)",
                sourceLocation: sourceLocation)
            if streamBytes {
                #expect(
                    UInt64(counts.streamBytes[direction] ?? 0) == counts.wireBytes[direction] ?? 0,
                    "\(source) \(direction): every byte passed once, and made up the frames",
                    sourceLocation: sourceLocation)
            }
        }
    }

    @Test func theSameConsumerHearsTheSameConversationFromEverySource() async throws {
        let (server, port) = try await PeerProcess.pythonServer("echo")
        defer { server.stop() }
        let upstream = try WebSocketURL("ws://127.0.0.1:\(port)/")
        var published: [(String, CountingConsumer.Counts)] = []

        // 1. The reverse proxy.
        let viaProxy = CountingConsumer()
        let proxy = try await ReverseProxy.start(port: 0, options: ProxyOptions(upstream: upstream, consumer: viaProxy))
        let throughProxy = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/replay"))
        try await RecordedSession.conversation(throughProxy)
        await Self.waitForClose(viaProxy)
        try? await proxy.stop()
        published.append(("reverse proxy", viaProxy.snapshot))

        // 2. A client (as `wstap connect`).
        let asClient = CountingConsumer()
        var clientOptions = ClientOptions()
        clientOptions.wireObserver = { info in
            EndpointTrafficFeed(
                connection: 1, role: .client, info: info, target: upstream.description, consumer: asClient)
        }
        try await RecordedSession.conversation(try await WebSocketClient.connect(to: upstream, options: clientOptions))
        await Self.waitForClose(asClient)
        published.append(("client", asClient.snapshot))

        // 3. A server (as `wstap serve`), the echo, with our client.
        let asServer = CountingConsumer()
        var serverOptions = ServerOptions()
        serverOptions.wireObserver = { info in
            EndpointTrafficFeed(connection: 1, role: .server, info: info, target: "ws://served/", consumer: asServer)
        }
        let echo = try await WebSocketServer.start(port: 0, options: serverOptions, handler: WebSocketServer.echo)
        try await RecordedSession.conversation(
            try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(echo.port)/")))
        await Self.waitForClose(asServer)
        try? await echo.stop()
        published.append(("server", asServer.snapshot))

        // 4. The mock server, playing what the proxy recorded, to our client.
        let script = try ReplayScript.select(ConnectionTranscript.group(viaProxy.snapshot.all), connection: nil)
        let asMock = CountingConsumer()
        var mockOptions = MockServerOptions(speed: nil)
        mockOptions.consumer = asMock
        let mock = try await MockServer.start(script, port: 0, options: mockOptions)
        let serving = Task { try await mock.run() }
        try await RecordedSession.conversation(
            try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(mock.port)/replay")))
        await Self.waitForClose(asMock)
        await mock.stop()
        serving.cancel()
        published.append(("mock server", asMock.snapshot))

        // 5. The client replayer, playing the recorded client against the real server.
        let asReplayer = CountingConsumer()
        _ = try await ClientReplayer.run(
            script, options: ClientReplayOptions(target: upstream, speed: nil, replyTimeout: .seconds(30)),
            events: { asReplayer.consume($0) })
        await Self.waitForClose(asReplayer)
        published.append(("client replayer", asReplayer.snapshot))

        for (source, counts) in published {
            // The replayer hands its events over without the stream's bytes.
            Self.expectTheConversation(counts, source, streamBytes: source != "client replayer")
        }
        // The same frames each way from every source (the same conversation, the same echo).
        let frameCounts = published.map { $0.1.frames }
        #expect(
            Set(frameCounts.map { $0[.clientToServer] ?? 0 }).count == 1, "\(published.map { ($0.0, $0.1.frames) })")
        #expect(
            Set(frameCounts.map { $0[.serverToClient] ?? 0 }).count == 1, "\(published.map { ($0.0, $0.1.frames) })")
    }

    @Test func theForwardProxyPublishesThroughTheSameConsumer() async throws {
        let server = try PeerProcess.python(
            PeerScripts.script("websockets_echo_server.py", of: "WSTapNetworkTests"), [])
        defer { server.stop() }
        let serverPort = try await server.port()
        let caDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-ca-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: caDirectory) }
        let viaForward = CountingConsumer()
        let proxy = try await ForwardProxy.start(
            port: 0,
            options: ForwardProxyOptions(
                relay: ProxyOptions(upstream: try WebSocketURL("ws://127.0.0.1/"), consumer: viaForward),
                certificateAuthority: try CertificateAuthority.loadOrCreate(directory: caDirectory)))
        defer { Task { try? await proxy.stop() } }
        let client = try PeerProcess.python(
            PeerScripts.script("forward_proxy_client.py", of: "WSTapNetworkTests"),
            ["websockets-plain", "\(proxy.port)", "127.0.0.1", "\(serverPort)"])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        await Self.waitForClose(viaForward)
        let counts = viaForward.snapshot
        #expect(counts.opened == 1 && counts.closed == 1)
        let hello = Array("hello through the forward proxy".utf8)
        #expect(counts.messages[.clientToServer]?.first == hello, "\(counts.messages)")
        #expect(counts.messages[.serverToClient]?.first == hello, "\(counts.messages)")
        for direction in TrafficDirection.allCases {
            #expect(UInt64(counts.streamBytes[direction] ?? 0) == counts.wireBytes[direction] ?? 0, "\(direction)")
        }
    }

    /// Through the proxy, between python3-websockets and node-ws with permessage-deflate (context takeover on
    /// both sides), every message arrives joined and inflated, each way, whole.
    @Test func compressedMessagesAreInflatedAndJoinedBetweenRealPeers() async throws {
        let server = try PeerProcess.node(
            PeerScripts.script("ws_deflate_server.js", of: "WSTapNetworkTests"), ["{}"])
        defer { server.stop() }
        let serverPort = try await server.port()
        let consumer = CountingConsumer()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(upstream: try WebSocketURL("ws://127.0.0.1:\(serverPort)/"), consumer: consumer))
        defer { Task { try? await proxy.stop() } }
        let client = try PeerProcess.python(
            PeerScripts.script("websockets_deflate_client.py", of: "WSTapNetworkTests"),
            ["ws://127.0.0.1:\(proxy.port)/"])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        #expect(result.text.contains("PerMessageDeflate"), "\(result.text)")
        await Self.waitForClose(consumer)
        let messages = consumer.snapshot.all.compactMap { event -> TrafficEvent.MessageSeen? in
            if case .message(let message) = event { message } else { nil }
        }
        for direction in TrafficDirection.allCases {
            let each = messages.filter { $0.direction == direction }
            #expect(each.map(\.length) == [30_000, 80_000, 70_000, 100_000, 0], "\(direction)")
            #expect(each.first.map { String(buffer: $0.payload) } == String(repeating: "hello ", count: 5000))
            #expect(each.dropFirst(3).first?.payload.readableBytesView.allSatisfy { $0 == 0 } == true)
            #expect(each.allSatisfy { !$0.isCut }, "\(direction)")
        }
        // node-ws compresses every message (threshold 0).
        let fromServer = messages.filter { $0.direction == .serverToClient }
        let allCompressed = fromServer.allSatisfy { $0.wasCompressed }
        #expect(allCompressed)
    }
}
