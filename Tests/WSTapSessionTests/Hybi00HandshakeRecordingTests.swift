import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapSession

/// A hybi-00 handshake recorded through the proxy is the one on the wire: the request head and its 8 key
/// bytes as the server received them, the response head and its 16-byte answer as the client received them.
@Suite struct Hybi00HandshakeRecordingTests {
    @Test(arguments: Hybi00Framing.allCases)
    func theRecordedHandshakeIsTheWireHandshake(framing: Hybi00Framing) async throws {
        let serverSide = NIOLockedValueBox<ConnectionInfo?>(nil)
        let server = try await WebSocketServer.start(port: 0, options: ServerOptions(hybi00Framing: framing)) {
            connection in
            serverSide.withLockedValue { $0 = connection.info }
            await WebSocketServer.echo(connection)
        }
        defer { Task { try? await server.stop() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-hybikey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("session.jsonl").path
        let recorder = try SessionRecorder(
            path: path, mode: .proxy, wstapVersion: "test",
            startedAt: TrafficTimestamp(wallSeconds: Date().timeIntervalSince1970, monotonicNanoseconds: 0))
        let options = ProxyOptions(
            upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/up"), hybi00Framing: framing, consumer: recorder)
        let proxy = try await ReverseProxy.start(port: 0, options: options)
        defer { Task { try? await proxy.stop() } }

        let client = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/chat"),
            options: ClientOptions(variant: .hybi00, framing: framing))
        try await client.send("hello")
        #expect(await client.receive()?.text == "hello")
        await client.close()
        recorder.flush()
        recorder.close()

        let opened = try #require(
            try RecordingReader(path: path).allEvents().lazy.compactMap { recorded -> TrafficEvent.ConnectionOpened? in
                if case .connectionOpened(let opened) = recorded.event { return opened } else { return nil }
            }.first)
        let received = try #require(serverSide.withLockedValue { $0 })
        // What the server read: its parsed head keeps the exact bytes.
        let serverRead = try #require(received.request.rawBytes) + received.requestBody
        #expect(opened.request.wireBytes + opened.requestBody == serverRead)
        #expect(opened.requestBody.count == 8)
        // The proxy passes the key bytes on unchanged: the client's are the server's.
        #expect(client.info.requestBody == received.requestBody)
        // What the client read.
        let clientRead = try #require(client.info.response.rawBytes) + client.info.responseBody
        #expect(opened.response.wireBytes + opened.responseBody == clientRead)
        #expect(opened.responseBody.count == 16)
        // And the answer is the one the keys demand.
        let keys = try Hybi00ClientKeys(
            key1: try #require(opened.request.headers.first("Sec-WebSocket-Key1")),
            key2: try #require(opened.request.headers.first("Sec-WebSocket-Key2")), key3: opened.requestBody)
        #expect(keys.expectedAnswer == opened.responseBody)
    }
}
