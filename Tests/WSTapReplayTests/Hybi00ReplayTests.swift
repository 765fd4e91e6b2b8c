import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapReplay

/// hybi-00 sessions replay in the framing they were recorded in, in both roles.
@Suite(.serialized) struct Hybi00ReplayTests {
    static let texts = ["one", "two", String(repeating: "3", count: 5000)]

    static func record(framing: Hybi00Framing) async throws -> ReplayScript {
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(hybi00Framing: framing), handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let events = try await RecordedSession.record(
            upstream: "ws://127.0.0.1:\(server.port)/", variant: .hybi00, framing: framing
        ) { connection in
            for text in texts {
                try await connection.send(text)
                _ = await connection.receive()
            }
            await connection.close()
        }
        return try ReplayScript.select(ConnectionTranscript.group(events), connection: nil)
    }

    @Test(arguments: [Hybi00Framing.old, .new])
    func clientReplayPassesTheCheck(framing: Hybi00Framing) async throws {
        let script = try await Self.record(framing: framing)
        #expect(script.opened.variant == .hybi00)
        #expect(script.clientMessages.filter(\.isData).count == 3)
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(hybi00Framing: framing), handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let result = try await ClientReplayer.run(
            script,
            options: ClientReplayOptions(
                target: try WebSocketURL("ws://127.0.0.1:\(server.port)"), speed: nil, waitsForReplies: true,
                replyTimeout: .seconds(30)))
        #expect(result.response.statusCode == 101)
        #expect(result.replies.filter(\.isData).map(\.text) == Self.texts)
        let differences = MessageComparison.differences(expected: script.serverMessages, actual: result.replies)
        #expect(differences.isEmpty, "\(differences)")
    }

    /// The recording keeps the handshake's key bytes and answer; `keepsMasks` sends the recorded keys again,
    /// so a correct server gives the recorded answer back.
    @Test func recordedKeysAreReplayedWithKeepMasks() async throws {
        let script = try await Self.record(framing: .old)
        #expect(script.opened.requestBody.count == 8)
        #expect(script.opened.responseBody.count == 16)
        let recordedKeys = try Hybi00ClientKeys(
            key1: try #require(script.opened.request.headers.first("Sec-WebSocket-Key1")),
            key2: try #require(script.opened.request.headers.first("Sec-WebSocket-Key2")),
            key3: script.opened.requestBody)
        #expect(recordedKeys.expectedAnswer == script.opened.responseBody)
        let server = try await WebSocketServer.start(port: 0, options: ServerOptions(), handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        for keepsMasks in [true, false] {
            let events = RecordedSession.EventLog()
            _ = try await ClientReplayer.run(
                script,
                options: ClientReplayOptions(
                    target: try WebSocketURL("ws://127.0.0.1:\(server.port)"), speed: nil, waitsForReplies: true,
                    keepsMasks: keepsMasks, replyTimeout: .seconds(30)),
                events: { events.append($0) })
            guard case .connectionOpened(let opened)? = events.all.first else {
                Issue.record("no opening reported")
                continue
            }
            #expect((opened.requestBody == script.opened.requestBody) == keepsMasks)
            #expect((opened.responseBody == script.opened.responseBody) == keepsMasks)
            #expect(opened.responseBody.count == 16)
        }
    }

    @Test(arguments: [Hybi00Framing.old, .new])
    func mockServerPlaysToAHybi00Client(framing: Hybi00Framing) async throws {
        let script = try await Self.record(framing: framing)
        let reports = MockServerTests.Reports()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(matching: .exact, servesOnce: true),
            report: { reports.append($0) })
        let serving = Task { try await server.run() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"),
            options: ClientOptions(variant: .hybi00, framing: framing))
        var received: [String] = []
        for text in Self.texts {
            try await connection.send(text)
            if let reply = await connection.receive()?.text { received.append(reply) }
        }
        await connection.close()
        try await serving.value
        #expect(received == Self.texts)
        #expect(server.problemCount == 0)
        // The answer is computed for this client's keys, not the recorded one, and the report says so.
        let answer = connection.info.responseBody.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(connection.info.responseBody.count == 16)
        #expect(connection.info.responseBody != script.opened.responseBody)
        let accepted = reports.all.first { $0.kind == .accepted }?.text ?? ""
        #expect(accepted.contains("computed for this client's keys (\(answer)"), "\(accepted)")
    }
}
