import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapReplay
import WSTapTestSupport

/// The mock server's pace, TLS and idle timeout, against python3-websockets and node-ws clients: a recorded
/// greeting and reply keep their recorded delay (scaled by the speed), `wss://` works with a client that
/// trusts the test certificate, and a silent client is closed with 1001.
@Suite(.serialized) struct MockServerPlaybackTests {
    final class Reports: Sendable {
        let box = NIOLockedValueBox<[MockServerReport]>([])
        func append(_ report: MockServerReport) { box.withLockedValue { $0.append(report) } }
        var all: [MockServerReport] { box.withLockedValue { $0 } }
    }

    /// A recorded conversation with a greeting 0.6 s after the handshake, a question at 1.0 s, its answer
    /// 0.4 s later, and a close exchange.
    static func conversation() throws -> ReplayScript {
        let start: UInt64 = 5_000_000_000
        func at(_ seconds: Double) -> TrafficTimestamp {
            TrafficTimestamp(wallSeconds: 1_000 + seconds, monotonicNanoseconds: start + UInt64(seconds * 1e9))
        }
        let opened = TrafficEvent.ConnectionOpened(
            connection: 1, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9/",
            request: HTTPRequestHead(method: "GET", target: "/"),
            response: HTTPResponseHead(
                statusCode: 101, reason: "Switching Protocols",
                headers: ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": "recorded"]),
            variant: .rfc6455, framing: .old, subprotocol: nil, extensions: [], at: at(0))
        var transcript = ConnectionTranscript(connection: 1, opened: opened)
        var tap = TrafficTap(connection: 1, variant: .rfc6455)
        let key = FrameSpec.Mask.key(MaskingKey(value: 0x1234_5678))
        let pieces: [(Double, TrafficDirection, FrameSpec)] = [
            (0.6, .serverToClient, .text("greeting")),
            (1.0, .clientToServer, .text("question", mask: key)),
            (1.4, .serverToClient, .text("answer")),
            (1.5, .clientToServer, .close(code: .normalClosure, mask: key)),
            (1.5, .serverToClient, .close(code: .normalClosure)),
        ]
        for (seconds, direction, spec) in pieces {
            let bytes = ByteBuffer(bytes: try FrameEncoder.encode(spec))
            tap.bytes(bytes, direction: direction, at: at(seconds)) { event in
                if case .frame(let frame) = event {
                    transcript.items.append(.frame(frame, wireBytes: RecordedFrameBytes.of(frame)))
                }
            }
        }
        return try ReplayScript(transcript)
    }

    struct Received: Decodable {
        var text: String
        var after: Double
    }

    /// Runs a peer to completion on a thread of its own (so no Swift task thread is blocked).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws
        -> ProgramResult
    {
        try await PeerProcess(executable, arguments, environment: environment).finished()
    }

    static func pythonClient(url: String, caFile: String = "-") async throws -> (status: Int32, received: [Received]) {
        let result = try await run(
            PeerProcess.python,
            [
                PeerScripts.folder(of: "WSTapReplayTests").appendingPathComponent("mock_client.py").path, url, caFile,
                #"["recv", "question", "recv"]"#,
            ])
        let lines = result.text.split(separator: "\n")
        #expect(lines.last == "closed", "\(result.text) \(result.stderr)")
        let received = try lines.dropLast().map { try JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
        return (result.status, received)
    }

    @Test func delaysAreTakenFromTheRecording() throws {
        let script = try Self.conversation()
        // The greeting after the handshake, the answer after the question, the close after the client's.
        #expect(script.serverSends.map(\.afterClientMessages) == [0, 1, 2])
        #expect(script.serverSends.map(\.delayNanoseconds) == [600_000_000, 400_000_000, 0])
    }

    /// Lower bounds only: a loaded machine can only make the frames later.
    @Test(arguments: [1.0, 2.0, nil] as [Double?])
    func serverFramesKeepTheirRecordedSpacing(speed: Double?) async throws {
        let script = try Self.conversation()
        let reports = Reports()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(servesOnce: true, speed: speed),
            report: { reports.append($0) })
        let serving = Task { try await server.run() }
        let (status, received) = try await Self.pythonClient(url: "ws://127.0.0.1:\(server.port)/")
        try await serving.value
        #expect(status == 0)
        #expect(received.map(\.text) == ["greeting", "answer"])
        #expect(server.problemCount == 0, "\(reports.all)")
        if let speed, received.count == 2 {
            #expect(received[0].after >= 0.6 / speed * 0.95, "greeting after \(received[0].after) s")
            #expect(received[1].after >= 0.4 / speed * 0.95, "answer after \(received[1].after) s")
        }
    }

    @Test func servesWSSToAClientTrustingTheCertificate() async throws {
        let script = try Self.conversation()
        let (certificate, key, folder) = try await SecureReplayTests.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try await MockServer.start(
            script, port: 0,
            options: MockServerOptions(
                speed: nil, tls: ServerTLSOptions(certificateChainFile: certificate, privateKeyFile: key)))
        let serving = Task { try await server.run() }
        defer {
            serving.cancel()
            Task { await server.stop() }
        }
        let (status, received) = try await Self.pythonClient(
            url: "wss://127.0.0.1:\(server.port)/", caFile: certificate)
        #expect(status == 0)
        #expect(received.map(\.text) == ["greeting", "answer"])
        // A client that does not trust the certificate gets no connection.
        let refused = try await Self.run(
            PeerProcess.python,
            [
                PeerScripts.folder(of: "WSTapReplayTests").appendingPathComponent("mock_client.py").path,
                "wss://127.0.0.1:\(server.port)/", "-", #"["recv"]"#,
            ])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("CERTIFICATE_VERIFY_FAILED"), "\(refused.stderr)")
    }

    @Test func aSilentClientIsClosedWith1001() async throws {
        let script = try Self.conversation()
        let reports = Reports()
        let server = try await MockServer.start(
            script, port: 0, options: MockServerOptions(servesOnce: true, speed: nil, idleTimeout: .milliseconds(300)),
            report: { reports.append($0) })
        let serving = Task { try await server.run() }
        let result = try await Self.run(
            "/usr/bin/node",
            [
                PeerScripts.folder(of: "WSTapReplayTests").appendingPathComponent("ws_idle_client.js").path,
                "ws://127.0.0.1:\(server.port)/",
            ],
            environment: ["NODE_PATH": "/usr/share/nodejs"])
        try await serving.value
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text == "message greeting\nclosed 1001 idle timeout\n")
        #expect(reports.all.contains { $0.kind == .idle && $0.text.contains("1001") }, "\(reports.all)")
    }
}
