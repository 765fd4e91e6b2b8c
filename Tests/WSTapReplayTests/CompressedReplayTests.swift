import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapReplay

/// permessage-deflate sessions replay byte for byte: the recorded request offers deflate again, the
/// compressed frames are sent as recorded (the server's inflater sees the same stream from the start), and
/// replies are inflated with what the server agreed to.
@Suite(.serialized) struct CompressedReplayTests {
    static let texts = (1...3).map { String(repeating: "compress me \($0) ", count: 400) }

    static func record() async throws -> ReplayScript {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let events = try await RecordedSession.record(
            upstream: "ws://127.0.0.1:\(server.port)/", compression: true
        ) { connection in
            for text in texts {
                try await connection.send(text)
                _ = await connection.receive()
            }
            await connection.close()
        }
        return try ReplayScript.select(ConnectionTranscript.group(events), connection: nil)
    }

    @Test func clientReplayPassesTheCheck() async throws {
        let script = try await Self.record()
        #expect(script.deflate != nil)
        #expect(script.clientMessages.filter(\.isData).allSatisfy { $0.wasCompressed })
        #expect(script.clientMessages.filter(\.isData).map(\.text) == Self.texts)
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let result = try await ClientReplayer.run(
            script,
            options: ClientReplayOptions(
                target: try WebSocketURL("ws://127.0.0.1:\(server.port)"), speed: nil, waitsForReplies: true,
                replyTimeout: .seconds(30)))
        #expect(result.replies.filter(\.isData).map(\.text) == Self.texts)
        #expect(result.replies.filter(\.isData).allSatisfy { $0.wasCompressed })
        let differences = MessageComparison.differences(expected: script.serverMessages, actual: result.replies)
        #expect(differences.isEmpty, "\(differences)")
    }

    @Test func mockServerPlaysToACompressingClient() async throws {
        let script = try await Self.record()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(matching: .exact, servesOnce: true))
        let serving = Task { try await server.run() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), options: ClientOptions(offersCompression: true))
        #expect(connection.info.compression != nil)
        var received: [String] = []
        for text in Self.texts {
            try await connection.send(text)
            if let reply = await connection.receive()?.text { received.append(reply) }
        }
        await connection.close()
        try await serving.value
        #expect(received == Self.texts)
        #expect(server.problemCount == 0)
    }
}
