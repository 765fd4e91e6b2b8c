import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapReplay
import WSTapTestSupport

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

    /// A client that offers no compression (python3-websockets with compression=None, node-ws with
    /// perMessageDeflate false) to a recording made with permessage-deflate: the answer has no extension
    /// (before, the client failed on "no extensions supported"), the server's messages arrive inflated, and
    /// the report says so.
    @Test func mockServerPlaysInflatedToAClientThatOffersNoCompression() async throws {
        let script = try await Self.record()
        #expect(script.serverMessages.filter(\.isData).allSatisfy { $0.wasCompressed })
        let reports = MockServerPlaybackTests.Reports()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(speed: nil), report: { reports.append($0) })
        let serving = Task { try await server.run() }
        defer {
            Task {
                await server.stop()
                _ = try? await serving.value
            }
        }
        let url = "ws://127.0.0.1:\(server.port)/"

        var steps: [String] = []
        for text in Self.texts { steps += [text, "recv"] }
        let python = try await PeerProcess(
            PeerProcess.python,
            [
                PeerScripts.script("mock_client.py", of: "WSTapReplayTests").path, url, "-",
                String(decoding: try JSONEncoder().encode(steps), as: UTF8.self),
            ]
        ).finished()
        #expect(python.status == 0, "\(python.text) \(python.stderr)")
        let pythonLines = python.text.split(separator: "\n")
        #expect(pythonLines.last == "closed", "\(python.text) \(python.stderr)")
        let pythonTexts = try pythonLines.dropLast().map {
            try JSONDecoder().decode(MockServerPlaybackTests.Received.self, from: Data($0.utf8)).text
        }
        #expect(pythonTexts == Self.texts)

        let messages = String(decoding: try JSONEncoder().encode(Self.texts.map { ["text": $0] }), as: UTF8.self)
        let node = try await PeerProcess.nodeClient(url: url, subprotocol: "", messages: messages)
        #expect(node.status == 0, "\(node.text) \(node.stderr)")
        let nodeTexts = node.text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("{") else { return nil }
            return try? JSONDecoder().decode([String: String].self, from: Data(line.utf8))["text"]
        }
        #expect(nodeTexts == Self.texts, "\(node.text)")

        await waitUntil { reports.all.filter { $0.kind == .finished }.count == 2 }
        let notices = reports.all.filter { $0.kind == .notice }.map(\.text)
        #expect(notices.count == 2, "\(reports.all)")
        #expect(
            notices.allSatisfy {
                $0.contains("permessage-deflate, which the client did not offer")
                    && $0.contains("3 compressed server frames sent inflated")
            }, "\(notices)")
        #expect(server.problemCount == 0, "\(reports.all)")
    }
}
