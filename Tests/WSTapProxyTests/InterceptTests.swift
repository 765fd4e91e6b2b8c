import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// Intercept, inject, close and framing through a live proxy between our client and our echo server:
/// what the server gets back to the client shows what passed, and in what order.
@Suite struct InterceptTests {
    typealias EventLog = ReverseProxyTests.EventLog

    struct Setup {
        let server: WebSocketServer
        let proxy: ListeningProxy
        let connection: WebSocketConnection
        let log: EventLog

        var id: UInt64 { proxy.controller.connections.first ?? 0 }

        func stop() async {
            try? await proxy.stop()
            try? await server.stop()
        }
    }

    static func start(variant: ProtocolVariant = .rfc6455, framing: Hybi00Framing = .old) async throws -> Setup {
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(hybi00Framing: framing, compression: nil), handler: WebSocketServer.echo)
        let log = EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), hybi00Framing: .old,
                events: { log.append($0) }))
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/"),
            options: ClientOptions(variant: variant, framing: framing))
        try await eventually { !proxy.controller.connections.isEmpty }
        return Setup(server: server, proxy: proxy, connection: connection, log: log)
    }

    /// Waits (up to 60 s: only a hung proxy takes that long) until `condition` holds; records an issue if it
    /// never does.
    static func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try Task.checkCancellation()
        if await waitUntil(condition) { return }
        Issue.record("condition never held", sourceLocation: sourceLocation)
    }

    static func dispositions(_ log: EventLog, _ direction: TrafficDirection) -> [String] {
        log.all.compactMap { event in
            guard case .frame(let seen) = event, seen.direction == direction,
                case .rfc6455(let frame) = seen.content, frame.header.opcode == .text
            else { return nil }
            return "\(seen.disposition.name):\(String(buffer: frame.payload))"
        }
    }

    @Test func heldFramesWaitAndKeepOrderThenForwardDropOrEdit() async throws {
        let setup = try await Self.start()
        let controller = setup.proxy.controller
        let connection = setup.connection
        controller.setIntercept(
            InterceptSettings(directions: [.clientToServer], filter: try InterceptFilter(payloadContains: "secret")))

        try await connection.send("a")
        #expect(await connection.receive()?.text == "a")

        // Held, and "b" behind it waits too: the echo comes back in the original order once forwarded.
        try await connection.send("secret-1")
        try await Self.eventually { controller.heldFrames.count == 1 }
        try await connection.send("b")
        let held = try #require(controller.heldFrames.first)
        #expect(held.frame.direction == .clientToServer)
        #expect(held.wireBytes.readableBytes == 2 + 4 + 8)  // header, key, payload: as the client wrote it
        try controller.decide(held.holdID, .forward)
        #expect(await connection.receive()?.text == "secret-1")
        #expect(await connection.receive()?.text == "b")

        // Dropped: the server never gets it.
        try await connection.send("secret-2")
        try await Self.eventually { controller.heldFrames.count == 1 }
        try controller.decide(try #require(controller.heldFrames.first).holdID, .drop)
        try await connection.send("c")
        #expect(await connection.receive()?.text == "c")

        // Edited: the server gets the replacement.
        try await connection.send("secret-3")
        try await Self.eventually { controller.heldFrames.count == 1 }
        let edited = ByteBuffer(bytes: try FrameEncoder.encode(.text("edited", mask: .random)))
        try controller.decide(try #require(controller.heldFrames.first).holdID, .replace(edited))
        #expect(await connection.receive()?.text == "edited")

        #expect(throws: ProxyControlError.self) { try controller.decide(9999, .forward) }
        controller.setIntercept(.off)
        #expect(await connection.close().wasClean)
        try await Self.eventually {
            setup.log.all.contains { if case .connectionClosed = $0 { return true } else { return false } }
        }
        // Which event comes first when a decision and the next frame meet is up to the event loop.
        let upward = Self.dispositions(setup.log, .clientToServer).sorted()
        #expect(
            upward
                == [
                    "relayed:a", "held:secret-1", "relayed:b", "released:secret-1", "held:secret-2", "dropped:secret-2",
                    "relayed:c", "held:secret-3", "edited:edited",
                ].sorted())
        await setup.stop()
    }

    @Test(arguments: [Hybi00Framing.old, .new])
    func hybi00FramesAreHeldAndReleasedInOrder(framing: Hybi00Framing) async throws {
        let setup = try await Self.start(variant: .hybi00, framing: framing)
        let controller = setup.proxy.controller
        try controller.setFraming(framing, connection: setup.id)
        controller.setIntercept(
            InterceptSettings(directions: [.serverToClient], filter: try InterceptFilter(payloadContains: "hold")))
        try await setup.connection.send("hold me")
        try await setup.connection.send("then me")
        try await Self.eventually { controller.heldFrames.count == 1 }
        let held = try #require(controller.heldFrames.first)
        #expect(held.frame.direction == .serverToClient)
        try controller.decide(held.holdID, .forward)
        #expect(await setup.connection.receive()?.text == "hold me")
        #expect(await setup.connection.receive()?.text == "then me")
        await setup.stop()
    }

    @Test func injectIntoEitherDirectionAndCloseASide() async throws {
        let setup = try await Self.start()
        let controller = setup.proxy.controller
        let connection = setup.connection
        // To the client: an unmasked text frame, as a server sends.
        try controller.inject(
            ByteBuffer(bytes: try FrameEncoder.encode(.text("from the proxy"))), connection: setup.id,
            direction: .serverToClient)
        #expect(await connection.receive()?.text == "from the proxy")
        // To the server: a masked one, which it echoes.
        try controller.inject(
            ByteBuffer(bytes: try FrameEncoder.encode(.text("echo me", mask: .random))), connection: setup.id,
            direction: .clientToServer)
        #expect(await connection.receive()?.text == "echo me")
        #expect(throws: ProxyControlError.self) {
            try controller.inject(ByteBuffer(), connection: 999, direction: .clientToServer)
        }
        #expect(throws: ProxyControlError.self) { try controller.setFraming(.new, connection: setup.id) }

        try controller.close(connection: setup.id, side: .client, code: CloseCode(rawValue: 4000), reason: "bye")
        #expect(await connection.receive() == nil)
        let outcome = await connection.closeOutcome()
        #expect(outcome.receivedCode == CloseCode(rawValue: 4000))
        #expect(outcome.receivedReason == "bye")
        #expect(Self.dispositions(setup.log, .serverToClient).contains("injected:from the proxy"))
        await setup.stop()
    }

    @Test func hybi00FramingSwitchesAtRunTimeAndTheStreamIsDecodedAgain() async throws {
        // Client and server speak 'new' framing; the proxy starts reading 'old' and gets it wrong.
        let setup = try await Self.start(variant: .hybi00, framing: .new)
        let controller = setup.proxy.controller
        try await setup.connection.send("before")
        #expect(await setup.connection.receive()?.text == "before")
        func newTextFrames() -> [String] {
            let events = setup.log.all
            let switched = events.lastIndex { if case .framingChanged = $0 { return true } else { return false } }
            return events[(switched ?? events.startIndex)...].compactMap { event in
                guard case .frame(let seen) = event, case .hybi00(let frame) = seen.content,
                    frame.framing == .new, frame.isText
                else { return nil }
                return "\(seen.direction.arrow)\(String(buffer: frame.payload))"
            }
        }
        #expect(newTextFrames().isEmpty)
        try controller.setFraming(.new, connection: setup.id)
        try await Self.eventually { newTextFrames() == ["→before", "←before"] }
        let change = setup.log.all.compactMap { if case .framingChanged(let c) = $0 { return c } else { return nil } }
        #expect(change.first?.redecoded == true)
        try await setup.connection.send("after")
        #expect(await setup.connection.receive()?.text == "after")
        try await Self.eventually { newTextFrames() == ["→before", "←before", "→after", "←after"] }
        await setup.stop()
    }
}
