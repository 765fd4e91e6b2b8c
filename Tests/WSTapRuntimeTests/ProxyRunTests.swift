import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapRuntime
import WSTapSession

/// `wstap proxy` without the UI, driven as a run: a real echo server behind it and a real client in front.
@Suite struct ProxyRunTests {
    /// The frames of a recording: direction and payload text.
    private func frames(_ path: String) throws -> [String] {
        try RecordingReader(path: path).events().compactMap { result -> String? in
            guard case .frame(let frame) = try result.get().event, case .rfc6455(let decoded) = frame.content
            else { return nil }
            let arrow = frame.direction == .clientToServer ? "→" : "←"
            return
                "\(arrow) \(decoded.header.opcode) \(String(decoding: decoded.payload.readableBytesView, as: UTF8.self))"
        }
    }

    @Test func itRelaysRecordsAndStopsCleanly() async throws {
        let files = try RecordingFiles("proxy-run")
        defer { files.remove() }
        let server = try await WebSocketServer.start(host: "127.0.0.1", port: 0, handler: WebSocketServer.echo)
        var run = ProxyRun(
            listen: ListenAddress(host: "127.0.0.1", port: 0),
            upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), upstreamTLS: ClientTLSOptions(),
            caDirectory: files.path("ca"))
        run.record = files.path("proxy.jsonl")
        run.control = files.path("control.sock")
        let proxy = try await run.start(printing: .quiet)
        let stopped = Task { try await proxy.waitUntilStopped() }

        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/chat"))
        try await client.send("hello through the proxy")
        var echoed: String?
        while echoed == nil, let event = await client.nextEvent() {
            if case .message(let message) = event { echoed = message.text }
        }
        #expect(echoed == "hello through the proxy")
        let answer = try await ProxyControlClient.send("connections", to: files.path("control.sock"))
        #expect(answer.succeeded)
        #expect(answer.status == "1", "the one connection open")
        _ = try await client.close(code: .normalClosure, reason: "done")

        await proxy.stop()
        try await stopped.value
        try await server.stop()
        #expect(!FileManager.default.fileExists(atPath: files.path("control.sock")), "the control socket is removed")
        let recorded = try frames(files.path("proxy.jsonl"))
        #expect(recorded.prefix(2) == ["→ text hello through the proxy", "← text hello through the proxy"])
        #expect(recorded.count == 4, "the text each way and the close each way: \(recorded)")
    }

    @Test func keepHostWithoutAnUpstreamIsRefused() async throws {
        var run = ProxyRun(
            listen: ListenAddress(host: "127.0.0.1", port: 0), upstream: nil, upstreamTLS: ClientTLSOptions(),
            caDirectory: "/nonexistent")
        run.keepsHost = true
        await #expect {
            _ = try await run.start(printing: .quiet)
        } throws: { error in
            "\(error)" == "--keep-host is for the reverse proxy: give --upstream too"
        }
    }
}
