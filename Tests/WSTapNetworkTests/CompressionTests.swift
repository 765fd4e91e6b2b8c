import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// permessage-deflate (RFC 7692) between our endpoints and with python3-websockets, which offers and
/// accepts it by default.
@Suite(.serialized) struct CompressionTests {
    static let payloads: [(Opcode, [UInt8])] = [
        (.text, Array(String(repeating: "hello ", count: 5000).utf8)),
        (.text, Array(String(repeating: "é", count: 40000).utf8)),
        (.binary, (0..<70000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }),
        (.binary, [UInt8](repeating: 0, count: 100_000)),
        (.text, []),
    ]

    @Test func ourClientAndServerCompress() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"),
            options: ClientOptions(reportsFrames: true, offersCompression: true))
        #expect(connection.info.compression != nil)
        #expect(connection.info.extensions.map(\.name) == ["permessage-deflate"])
        for (opcode, bytes) in Self.payloads {
            try await connection.send(ByteBuffer(bytes: bytes), opcode: opcode)
            var frames: [DecodedFrame] = []
            var reply: Message? = nil
            while reply == nil, let event = await connection.nextEvent() {
                switch event {
                case .frameReceived(let frame): frames.append(frame)
                case .message(let message): reply = message
                default: break
                }
            }
            #expect(reply?.opcode == opcode)
            #expect(reply.map { Array($0.data.readableBytesView) } == bytes)
            #expect(frames.first?.header.reservedBits == .rsv1)
            if bytes.count > 1000 {
                #expect(frames.first.map { $0.header.payloadLength < UInt64(bytes.count) / 2 } == true)
            }
        }
        #expect(await connection.close().wasClean)
    }

    @Test func compressionIsOnlyWhereAgreed() async throws {
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(compression: nil), handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), options: ClientOptions(offersCompression: true))
        #expect(connection.info.compression == nil)
        try await connection.send("plain")
        #expect(await connection.receive()?.text == "plain")
        await connection.close()
    }

    @Test func theirDeflatingClientAgainstOurServer() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let peer = try PeerProcess(
            PeerProcess.python,
            [
                PeerScripts.folder(of: "WSTapNetworkTests").appendingPathComponent("websockets_deflate_client.py").path,
                "ws://127.0.0.1:\(server.port)/",
            ])
        let result = await peer.finished()
        #expect(result.status == 0, "\(result.text)\n\(result.stderr)")
        #expect(result.text.contains("extensions PerMessageDeflate"), "\(result.text)")
        #expect(result.text.contains("echo bytes 100000"))
    }

    @Test func ourClientAgainstTheirDeflatingServer() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let peer = try PeerProcess(
            PeerProcess.python,
            [PeerScripts.folder(of: "WSTapNetworkTests").appendingPathComponent("websockets_deflate_server.py").path])
        defer { peer.process.terminate() }
        let port = await peer.firstLine()
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"), options: ClientOptions(offersCompression: true))
        #expect(connection.info.compression != nil)
        for (opcode, bytes) in Self.payloads {
            try await connection.send(ByteBuffer(bytes: bytes), opcode: opcode)
            let reply = await connection.receive()
            #expect(reply?.opcode == opcode)
            #expect(reply.map { Array($0.data.readableBytesView) } == bytes)
        }
        #expect(await connection.close().wasClean)
    }
}
