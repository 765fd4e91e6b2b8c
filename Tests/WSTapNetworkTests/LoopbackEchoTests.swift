import NIOCore
import Testing
import WSTapCore
import WSTapNetwork

/// Our client against our server on loopback, in every variant and framing.
@Suite struct LoopbackEchoTests {
    @Test(arguments: [
        (ProtocolVariant.rfc6455, Hybi00Framing.old), (.hybi00, .old), (.hybi00, .new),
    ])
    func echoesAndClosesCleanly(variant: ProtocolVariant, framing: Hybi00Framing) async throws {
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(subprotocols: ["chat"], hybi00Framing: framing),
            handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let url = try WebSocketURL("ws://127.0.0.1:\(server.port)/echo?x=1")
        let connection = try await WebSocketClient.connect(
            to: url,
            options: ClientOptions(
                variant: variant, framing: framing,
                // hybi-00 asks for one subprotocol only.
                subprotocols: variant == .hybi00 ? ["chat"] : ["other", "chat"]))
        #expect(connection.info.variant == variant)
        #expect(connection.info.subprotocol == "chat")
        #expect(connection.info.path == "/echo")
        for text in ["hello", "", "héllo wörld", String(repeating: "x", count: 70_000)] {
            try await connection.send(text)
            let reply = await connection.receive()
            #expect(reply?.opcode == .text)
            #expect(reply?.text == text)
        }
        if variant == .rfc6455 {
            try await connection.send(bytes: [0, 1, 2, 255])
            let reply = await connection.receive()
            #expect(reply?.opcode == .binary)
            #expect(reply.map { Array($0.data.readableBytesView) } == [0, 1, 2, 255])
        } else {
            await #expect(throws: (any Error).self) { try await connection.send(bytes: [1]) }
        }
        let outcome = try await connection.close(code: .normalClosure, reason: "done")
        #expect(outcome.wasClean)
        #expect(outcome.initiator == .client)
        if variant == .rfc6455 { #expect(outcome.receivedCode == .normalClosure) }
        #expect(connection.isClosed)
        await #expect(throws: (any Error).self) { try await connection.send("late") }
    }

    @Test func fragmentsAndStreamsAreReassembled() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        try await connection.send(ByteBuffer(string: "frag"), opcode: .text, finalFragment: false)
        try await connection.ping(ByteBuffer(string: "in between"))
        try await connection.send(ByteBuffer(string: "mented"), opcode: .continuation, finalFragment: true)
        #expect(await connection.receive()?.text == "fragmented")
        let chunks = AsyncStream<ByteBuffer> { continuation in
            for index in 0..<10 { continuation.yield(ByteBuffer(repeating: UInt8(index), count: 50_000)) }
            continuation.finish()
        }
        try await connection.send(stream: chunks, opcode: .binary)
        let big = await connection.receive()
        #expect(big?.data.readableBytes == 500_000)
        await connection.close()
    }

    @Test func serverInitiatedCloseReachesTheClient() async throws {
        let server = try await WebSocketServer.start(port: 0) { connection in
            _ = try? await connection.close(code: CloseCode(4000), reason: "go away")
        }
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        #expect(await connection.receive() == nil)
        let outcome = await connection.closeOutcome()
        #expect(outcome.receivedCode == CloseCode(4000))
        #expect(outcome.receivedReason == "go away")
        #expect(outcome.initiator == .server)
        #expect(outcome.wasClean)
    }

    @Test func refusedConnectionsAndRejectedHandshakesSayWhy() async throws {
        // Nothing listens on port 1 of loopback (a port freed by a stopped server could be reused by a test
        // running in parallel).
        let port = 1
        do {
            _ = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"))
            Issue.record("connected to a closed port")
        } catch {
            #expect("\(error)".contains("cannot connect to 127.0.0.1:\(port)"))
        }
    }
}
