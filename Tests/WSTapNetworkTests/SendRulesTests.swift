import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// What `send` takes and what a refused or broken send leaves behind (the original library's `ws-send!`),
/// against python3-websockets, with and without permessage-deflate.
@Suite(.serialized) struct SendRulesTests {
    /// python3-websockets' echo server with permessage-deflate on (its default); returns it and its port.
    static func startDeflatingServer() async throws -> (PeerProcess, String) {
        let peer = try PeerProcess.python(PeerScripts.script("websockets_deflate_server.py", of: "WSTapNetworkTests"))
        return (peer, await peer.firstLine())
    }

    /// Control frames do not go through `send`: a close there would bypass the closing handshake. The
    /// refused sends change nothing; the connection goes on and closes as this end asks.
    @Test func sendRefusesControlAndReservedOpcodes() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await InteropPeer.pythonWebsockets.startServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"))
        for opcode in [Opcode.close, .ping, .pong] {
            await #expect(throws: ConnectionError.notADataFrame(opcode)) {
                try await connection.send(ByteBuffer(bytes: [0x03, 0xE8]), opcode: opcode)
            }
        }
        await #expect(throws: ConnectionError.reservedOpcode(Opcode(lowBitsOf: 3))) {
            try await connection.send(ByteBuffer(string: "x"), opcode: Opcode(lowBitsOf: 3))
        }
        #expect(!connection.isClosed)
        try await connection.send("after the refused close")
        #expect(await connection.receive()?.text == "after the refused close")
        let outcome = await connection.close()
        #expect(outcome.initiator == .client)
        #expect(outcome.sentCode == .normalClosure)
        #expect(outcome.wasClean)
    }

    /// With permessage-deflate, a refused continuation (no message open) must not advance the compressor:
    /// the next message, which refers back to the same text, still inflates on the peer.
    @Test func aRefusedSendLeavesTheCompressorAlone() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await Self.startDeflatingServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"), options: ClientOptions(offersCompression: true))
        #expect(connection.info.compression != nil)
        let text = String(repeating: "the same words again and again, ", count: 20)
        for _ in 0..<3 {
            await #expect(throws: ConnectionError.noMessageOpen) {
                try await connection.send(ByteBuffer(string: text), opcode: .continuation)
            }
            try await connection.send(text)
            #expect(await connection.receive()?.text == text)
        }
        #expect(await connection.close().wasClean)
    }

    /// The other run from the issue: a message refused while a fragmented one is open must not end up in it.
    @Test func aRefusedMessageInsideAFragmentedOneLeavesItIntact() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await Self.startDeflatingServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"), options: ClientOptions(offersCompression: true))
        try await connection.send(ByteBuffer(string: "open"), opcode: .text, finalFragment: false)
        await #expect(throws: ConnectionError.messageStillOpen) { try await connection.send("interleaved") }
        try await connection.send(ByteBuffer(string: " closed"), opcode: .continuation)
        #expect(await connection.receive()?.text == "open closed")
        #expect(await connection.close().wasClean)
    }

    /// A sequence that throws halfway: the message is finished with what was read, the error comes back,
    /// and later sends work.
    @Test(arguments: [false, true])
    func aThrowingStreamFinishesItsMessage(deflate: Bool) async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) =
            try await (deflate ? Self.startDeflatingServer() : InteropPeer.pythonWebsockets.startServer())
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"),
            options: ClientOptions(offersCompression: deflate, streamBufferSize: 4))
        struct SourceFailed: Error {}
        let chunks = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
            continuation.yield(ByteBuffer(string: "first part, "))
            continuation.yield(ByteBuffer(string: "second part"))
            continuation.finish(throwing: SourceFailed())
        }
        await #expect(throws: SourceFailed.self) { try await connection.send(stream: chunks, opcode: .text) }
        try await connection.send("after")
        #expect(await connection.receive()?.text == "first part, second part")
        #expect(await connection.receive()?.text == "after")
        // A sequence that throws before yielding anything sends nothing.
        let failing = AsyncThrowingStream<ByteBuffer, any Error> { $0.finish(throwing: SourceFailed()) }
        await #expect(throws: SourceFailed.self) { try await connection.send(stream: failing, opcode: .binary) }
        try await connection.send("next")
        #expect(await connection.receive()?.text == "next")
        #expect(await connection.close().wasClean)
    }
}
