import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// Interop with third-party implementations from Debian's packages (python3-websockets, node-ws), as
/// server and as client, on loopback, plain and over TLS.
@Suite(.serialized) struct InteropTests {
    static let sizes = [0, 125, 126, 65535, 65536, 16 * 1024 * 1024]

    @Test(arguments: InteropPeer.all)
    func ourClientAgainstTheirServer(peer: InteropPeer) async throws {
        try #require(await peer.isInstalled, "\(peer) is missing: run scripts/test.sh, which installs it")
        let (server, port) = try await peer.startServer()
        defer { server.process.terminate() }
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
        try await connection.ping(ByteBuffer(string: "between fragments"))
        try await connection.send(ByteBuffer(string: "mented"), opcode: .continuation)
        #expect(await connection.receive()?.text == "fragmented")
        // Their server closes with a code and reason when asked; the close reaches us intact.
        try await connection.send("close:4002:server says bye")
        #expect(await connection.receive() == nil)
        let outcome = await connection.closeOutcome()
        #expect(outcome.receivedCode == CloseCode(4002))
        #expect(outcome.receivedReason == "server says bye")
        #expect(outcome.initiator == .server)
        #expect(outcome.wasClean)
    }

    @Test(arguments: InteropPeer.all)
    func ourClientClosesTheirServer(peer: InteropPeer) async throws {
        try #require(await peer.isInstalled, "\(peer) is missing: run scripts/test.sh, which installs it")
        let (server, port) = try await peer.startServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"))
        try await connection.send("hello")
        #expect(await connection.receive()?.text == "hello")
        let outcome = try await connection.close(code: .goingAway, reason: "client leaving")
        #expect(outcome.wasClean)
        #expect(outcome.receivedCode == .goingAway)
    }

    @Test(arguments: InteropPeer.all)
    func theirClientAgainstOurServer(peer: InteropPeer) async throws {
        try #require(await peer.isInstalled, "\(peer) is missing: run scripts/test.sh, which installs it")
        let outcomes = NIOLockedValueBox<[CloseOutcome]>([])
        let server = try await WebSocketServer.start(port: 0, options: ServerOptions(subprotocols: ["superchat"])) {
            connection in
            await WebSocketServer.echo(connection)
            let outcome = await connection.closeOutcome()
            outcomes.withLockedValue { $0.append(outcome) }
        }
        let result = try await peer.runClient(url: "ws://127.0.0.1:\(server.port)/echo")
        #expect(result.status == 0, "\(result.text)\n\(result.stderr)")
        #expect(result.text.contains("subprotocol superchat"))
        for size in Self.sizes {
            #expect(result.text.contains("echo text \(size)\n"))
            #expect(result.text.contains("echo binary \(size)\n"))
        }
        #expect(result.text.contains("echo fragmented"))
        #expect(result.text.contains("pong"))
        #expect(result.text.contains("closed 4001"))  // our answer to their close echoes the code
        await waitUntil { !outcomes.withLockedValue({ $0.isEmpty }) }
        let outcome = outcomes.withLockedValue { $0.first }
        #expect(outcome?.receivedCode == CloseCode(4001))
        #expect(outcome?.receivedReason == "bye")
        #expect(outcome?.wasClean == true)
        try await server.stop()
    }

    @Test(arguments: InteropPeer.all)
    func ourClientAgainstTheirTLSServer(peer: InteropPeer) async throws {
        try #require(await peer.isInstalled, "\(peer) is missing: run scripts/test.sh, which installs it")
        let certificates = try await TestCertificates.loaded()
        let (server, port) = try await peer.startServer(
            certificate: certificates.certificateFile, key: certificates.keyFile)
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("wss://localhost:\(port)/"),
            options: ClientOptions(tls: ClientTLSOptions(extraCAFile: certificates.caFile)))
        try await connection.send(bytes: [1, 2, 3])
        #expect(await connection.receive().map { Array($0.data.readableBytesView) } == [1, 2, 3])
        #expect(try await connection.close(code: .normalClosure, reason: "tls done").wasClean)
    }

    @Test(arguments: InteropPeer.all)
    func theirClientAgainstOurTLSServer(peer: InteropPeer) async throws {
        try #require(await peer.isInstalled, "\(peer) is missing: run scripts/test.sh, which installs it")
        let certificates = try await TestCertificates.loaded()
        let server = try await WebSocketServer.start(
            port: 0,
            options: ServerOptions(
                subprotocols: ["superchat"],
                tls: ServerTLSOptions(
                    certificateChainFile: certificates.certificateFile, privateKeyFile: certificates.keyFile)),
            handler: WebSocketServer.echo)
        let result = try await peer.runClient(url: "wss://localhost:\(server.port)/", caFile: certificates.caFile)
        #expect(result.status == 0, "\(result.text)\n\(result.stderr)")
        #expect(result.text.contains("echo binary 16777216"))
        #expect(result.text.contains("closed 4001"))
        try await server.stop()
    }
}
