import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapSession
import WSTapTestSupport

/// Recording through the proxy between real peers: a raw-socket Python client (which keeps every byte
/// it sent and received) and a node-ws echo server (Peers/). The recording gives back both byte streams
/// exactly, a frame over the capture limit and an invalid frame included.
@Suite struct ProxyRecordingPeerTests {
    @Test func recordingThroughTheProxyIsLossless() async throws {
        let server = try PeerProcess.node(PeerScripts.script("ws_echo_server.js", of: "WSTapSessionTests"))
        defer { server.stop() }
        let serverPort = try await server.port()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("session.jsonl").path
        let recorder = try SessionRecorder(
            path: path, mode: .proxy, wstapVersion: "test",
            startedAt: TrafficTimestamp(wallSeconds: Date().timeIntervalSince1970, monotonicNanoseconds: 0))
        let options = ProxyOptions(upstream: try WebSocketURL("ws://127.0.0.1:\(serverPort)"), consumer: recorder)
        let proxy = try await ReverseProxy.start(port: 0, options: options)
        defer { Task { try? await proxy.stop() } }
        let client = try await PeerProcess.python(
            PeerScripts.script("raw_client.py", of: "WSTapSessionTests"), ["\(proxy.port)", folder.path]
        ).finished()
        try #require(client.status == 0, "\(client.text) \(client.stderr)")
        // The close event comes once both sides are gone.
        var events: [RecordedEvent] = []
        for _ in 0..<3000 {  // up to 60 s: only a hung proxy takes that long
            recorder.flush()
            events = try RecordingReader(path: path).allEvents()
            if events.contains(where: { if case .connectionClosed = $0.event { return true } else { return false } }) {
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        recorder.close()
        let sent = Array(try Data(contentsOf: folder.appendingPathComponent("c2s.bin")))
        let received = Array(try Data(contentsOf: folder.appendingPathComponent("s2c.bin")))
        #expect(sent.count > 3 << 20)
        #expect(received.count > 3 << 20)
        let recordedC2S = SyntheticSession.recordedStream(events, connection: 1, direction: .clientToServer)
        let recordedS2C = SyntheticSession.recordedStream(events, connection: 1, direction: .serverToClient)
        #expect(recordedC2S.count == sent.count, "\(events.map { "\($0.lineNumber) \($0.event)".prefix(160) })")
        #expect(recordedC2S == sent)
        #expect(recordedS2C.count == received.count)
        #expect(recordedS2C == received)
        let frames = events.compactMap { recorded -> TrafficEvent.FrameSeen? in
            if case .frame(let seen) = recorded.event { return seen } else { return nil }
        }
        // The 3 MiB frames (over the 1 MiB capture limit) come back whole, each way.
        let large = frames.compactMap { seen -> DecodedFrame? in
            if case .rfc6455(let frame) = seen.content, frame.header.payloadLength == 3 << 20 { return frame }
            return nil
        }
        #expect(large.count == 2)
        #expect(large.allSatisfy { $0.isPayloadComplete })
        #expect(large.count == 2 && large[0].payload == large[1].payload)
        // The invalid frame is there with its violation, and the server's 1002.
        #expect(frames.contains { $0.violations.contains { $0.kind == .reservedOpcode } })
        guard case .connectionClosed(let closed)? = events.last?.event else {
            Issue.record("the last event is not the close")
            return
        }
        #expect(closed.serverCloseCode == .protocolError)
        guard case .connectionOpened(let opened)? = events.first?.event else {
            Issue.record("the first event is not the open")
            return
        }
        #expect(opened.request.target == "/raw")
        #expect(FileManager.default.fileExists(atPath: path + ".payloads"))
    }
}
