import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapReplay
import WSTapTestSupport

/// A session recorded against python3-websockets' echo server, played back by the mock server to a node-ws
/// client: the client receives exactly the recorded server messages.
@Suite(.serialized) struct MockServerTests {
    final class Reports: Sendable {
        let box = NIOLockedValueBox<[MockServerReport]>([])
        func append(_ report: MockServerReport) { box.withLockedValue { $0.append(report) } }
        var all: [MockServerReport] { box.withLockedValue { $0 } }
    }

    /// The messages a node client sends (its scenario) and the recording made of the same conversation.
    static let texts = ["first", "second message", String(repeating: "z", count: 70_000)]

    static func recordEchoConversation() async throws -> ReplayScript {
        let (server, port) = try await PeerProcess.pythonServer("echo")
        defer { server.stop() }
        let events = try await RecordedSession.record(
            upstream: "ws://127.0.0.1:\(port)/", path: "/mock", subprotocols: ["chat"]
        ) { connection in
            for text in texts {
                try await connection.send(text)
                _ = await connection.receive()
            }
            try await connection.send(bytes: [1, 2, 3])
            _ = await connection.receive()
            try await connection.close(code: .normalClosure, reason: "bye")
        }
        return try ReplayScript.select(ConnectionTranscript.group(events), connection: nil)
    }

    static var nodeMessages: String {
        let items = texts.map { "{\"text\":\"\($0)\"}" } + ["{\"binary\":\"\(Base64.encode([1, 2, 3] as [UInt8]))\"}"]
        return "[" + items.joined(separator: ",") + "]"
    }

    @Test(arguments: MockServerOptions.Matching.allCases)
    func nodeClientReceivesTheRecordedMessages(matching: MockServerOptions.Matching) async throws {
        let script = try await Self.recordEchoConversation()
        let reports = Reports()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(matching: matching, servesOnce: true),
            report: { reports.append($0) })
        let serving = Task { try await server.run() }
        let result = try await PeerProcess.nodeClient(
            url: "ws://127.0.0.1:\(server.port)/mock", subprotocol: "chat", messages: Self.nodeMessages)
        try await serving.value
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        let lines = result.text.split(separator: "\n").map(String.init)
        let expected =
            script.serverMessages.filter(\.isData).map { message in
                message.opcode == .text
                    ? "{\"text\":\"\(message.text ?? "?")\"}"
                    : "{\"binary\":\"\(Base64.encode(message.data.readableBytesView))\"}"
            } + ["closed 1000 bye"]
        #expect(lines == expected)
        #expect(lines.count == 5)
        #expect(server.problemCount == 0, "\(reports.all)")
        #expect(reports.all.first?.kind == .accepted)
    }

    /// The recording agreed on "chat"; a node-ws client that asks for no subprotocol refuses an answer naming
    /// one ("Server sent a subprotocol but none was requested"), so the mock server leaves it out and says so.
    @Test func aClientAskingForNoSubprotocolIsAnsweredWithNone() async throws {
        let script = try await Self.recordEchoConversation()
        let reports = Reports()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(servesOnce: true), report: { reports.append($0) })
        let serving = Task { try await server.run() }
        let result = try await PeerProcess.nodeClient(
            url: "ws://127.0.0.1:\(server.port)/mock", subprotocol: "", messages: Self.nodeMessages)
        try await serving.value
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        #expect(result.text.split(separator: "\n").last == "closed 1000 bye", "\(result.text) \(result.stderr)")
        let notices = reports.all.filter { $0.kind == .notice }.map(\.text)
        #expect(
            notices == [
                "the recording agreed on the subprotocol chat, which the client did not ask for: answered without "
                    + "it, frames as recorded"
            ], "\(reports.all)")
    }

    @Test func exactMatchingReportsADifferentMessage() async throws {
        let script = try await Self.recordEchoConversation()
        let reports = Reports()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(matching: .exact, servesOnce: true),
            report: { reports.append($0) })
        let serving = Task { try await server.run() }
        let changed = Self.nodeMessages.replacingOccurrences(of: "second message", with: "2nd message")
        let result = try await PeerProcess.nodeClient(
            url: "ws://127.0.0.1:\(server.port)/mock", subprotocol: "chat", messages: changed)
        try await serving.value
        #expect(result.status == 0, "\(result.text) \(result.stderr)")
        let mismatches = reports.all.filter { $0.kind == .mismatch }
        #expect(mismatches.count == 1, "\(reports.all)")
        #expect(mismatches.first?.text == #"client message #2: expected text "second message", got text "2nd message""#)
        #expect(server.problemCount == 1)
    }

    @Test func aNonWebSocketRequestIsRefused() async throws {
        let script = try await Self.recordEchoConversation()
        let reports = Reports()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(servesOnce: true), report: { reports.append($0) })
        let serving = Task { try await server.run() }
        do {
            _ = try await WebSocketClient.connect(
                to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), options: ClientOptions(variant: .hybi00))
            Issue.record("a hybi-00 client was accepted by a mock of an RFC 6455 recording")
        } catch {
            #expect("\(error)".contains("400"), "\(error)")
        }
        try await serving.value
        #expect(reports.all.first?.kind == .rejected)
    }
}
