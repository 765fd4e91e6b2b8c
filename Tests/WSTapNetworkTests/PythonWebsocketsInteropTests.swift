import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork

/// Interop with python3-websockets (Debian's package), as server and as client, on loopback.
@Suite(.serialized) struct PythonWebsocketsInteropTests {
    static let sizes = [0, 125, 126, 65535, 65536, 16 * 1024 * 1024]

    @Test func ourClientAgainstTheirServer() async throws {
        try #require(PeerProcess.hasPythonWebsockets, "python3-websockets is missing: run scripts/test.sh")
        let peer = try PeerProcess.python("websockets_echo_server.py")
        let port = peer.firstLine()
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/echo"),
            options: ClientOptions(subprotocols: ["superchat"], extraHeaders: ["X-Test": "interop"]))
        #expect(connection.info.subprotocol == "superchat")
        var generator = SystemRandomNumberGenerator()
        for size in Self.sizes {
            let text = String(repeating: "é", count: size / 2) + String(repeating: "a", count: size % 2)
            try await connection.send(text)
            #expect(await connection.receive()?.text == text, "text \(size)")
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try await connection.send(bytes: bytes)
            let reply = await connection.receive()
            #expect(reply?.opcode == .binary)
            #expect(reply.map { Array($0.data.readableBytesView) } == bytes, "binary \(size)")
        }
        try await connection.send(ByteBuffer(string: "frag"), opcode: .text, finalFragment: false)
        try await connection.send(ByteBuffer(string: "mented"), opcode: .continuation)
        #expect(await connection.receive()?.text == "fragmented")
        try await connection.ping(ByteBuffer(string: "hi"))
        // Their server closes with a code and reason when asked; the close reaches us intact.
        try await connection.send("close:4002:server says bye")
        #expect(await connection.receive() == nil)
        let outcome = await connection.closeOutcome()
        #expect(outcome.receivedCode == CloseCode(4002))
        #expect(outcome.receivedReason == "server says bye")
        #expect(outcome.initiator == .server)
        #expect(outcome.wasClean)
        peer.process.terminate()
    }

    @Test func ourClientClosesTheirServer() async throws {
        try #require(PeerProcess.hasPythonWebsockets, "python3-websockets is missing: run scripts/test.sh")
        let peer = try PeerProcess.python("websockets_echo_server.py")
        let port = peer.firstLine()
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"))
        try await connection.send("hello")
        #expect(await connection.receive()?.text == "hello")
        let outcome = await connection.close(code: .goingAway, reason: "client leaving")
        #expect(outcome.wasClean)
        #expect(outcome.receivedCode == .goingAway)
        peer.process.terminate()
    }

    @Test func theirClientAgainstOurServer() async throws {
        try #require(PeerProcess.hasPythonWebsockets, "python3-websockets is missing: run scripts/test.sh")
        let outcomes = NIOLockedValueBox<[CloseOutcome]>([])
        let server = try await WebSocketServer.start(port: 0, options: ServerOptions(subprotocols: ["superchat"])) {
            connection in
            await WebSocketServer.echo(connection)
            let outcome = await connection.closeOutcome()
            outcomes.withLockedValue { $0.append(outcome) }
        }
        let peer = try PeerProcess.python("websockets_client.py", ["ws://127.0.0.1:\(server.port)/echo"])
        let result = peer.finish()
        #expect(result.status == 0, "\(result.output)\n\(result.errors)")
        #expect(result.output.contains("subprotocol superchat"))
        for size in Self.sizes {
            #expect(result.output.contains("echo text \(size)\n"))
            #expect(result.output.contains("echo binary \(size)\n"))
        }
        #expect(result.output.contains("echo fragmented"))
        #expect(result.output.contains("pong"))
        #expect(result.output.contains("closed 4001"))  // our echo of their close carries the code, no reason
        // Give the server's handler a moment to record the outcome.
        for _ in 0..<50 where outcomes.withLockedValue({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(20)) }
        let outcome = outcomes.withLockedValue { $0.first }
        #expect(outcome?.receivedCode == CloseCode(4001))
        #expect(outcome?.receivedReason == "bye")
        #expect(outcome?.wasClean == true)
        try await server.stop()
    }
}
