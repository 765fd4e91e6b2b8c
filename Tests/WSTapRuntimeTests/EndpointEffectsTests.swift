import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapSession
import WSTapTestSupport
import WSTapUI

@testable import WSTapRuntime

/// The UI's effects on `wstap serve`'s and `wstap connect`'s connections, against our own echo server and
/// client: what goes out on the wire, and what the UI is told.
@Suite struct EndpointEffectsTests {
    /// A text frame's bytes, masked when a client sends it.
    private func textFrame(_ text: String, masked: Bool) -> [UInt8] {
        var spec = FrameSpec.text(text)
        if masked { spec.mask = .key(MaskingKey(1, 2, 3, 4)) }
        return (try? FrameEncoder.encode(spec)) ?? []
    }

    /// The next message's text on `connection`; `nil` if none came within a minute (a hung test only: the
    /// connection is closed then, so that the test fails instead of waiting for ever).
    private func nextText(_ connection: WebSocketConnection) async -> String? {
        let deadline = Task {
            try await Task.sleep(for: .seconds(60))
            _ = await connection.close()
        }
        defer { deadline.cancel() }
        while let event = await connection.nextEvent() {
            if case .message(let message) = event { return message.text }
        }
        return nil
    }

    @Test func theServerSendsToTheClientItIsAskedToAndSaysWhatItCannotDo() async throws {
        let inbox = UIEventInbox()
        let effects = ServerEffects(recording: RecordingSwitch(mode: .server), inbox: inbox, captureLimit: 1 << 20)
        var options = ServerOptions()
        options.wireObserver = { effects.observe($0) }
        let server = try await WebSocketServer.start(host: "127.0.0.1", port: 0, options: options) {
            await effects.serve($0)
        }
        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        // The echo comes back once the server serves the connection: from then on the UI can send on it.
        try await client.send("ping me")
        #expect(await nextText(client) == "ping me")

        effects.perform(
            .inject(connection: 1, direction: .serverToClient, bytes: textFrame("from the UI", masked: false)))
        #expect(await nextText(client) == "from the UI")
        effects.perform(.inject(connection: 1, direction: .clientToServer, bytes: textFrame("x", masked: true)))
        effects.perform(.inject(connection: 9, direction: .serverToClient, bytes: textFrame("x", masked: false)))
        effects.perform(.send(bytes: textFrame("x", masked: true)))
        effects.perform(.setIntercept(true))
        var told = UIEvents()
        #expect(
            await waitUntil {
                told.add(draining: inbox)
                return told.sendResults.count == 2 && told.notices.count == 3
            })
        #expect(told.sendResults.contains(nil), "the frame sent to connection 1")
        #expect(told.sendResults.contains("connection 9 is closed"))
        #expect(told.interceptChanges == [false])
        #expect(told.notices.contains("a server sends only to its clients: pick a frame it sent (←)"))
        _ = try await client.close(code: .normalClosure, reason: "")
        try await server.stop()
    }

    @Test func theClientSendsInOrderAndSaysWhenItCannot() async throws {
        let server = try await WebSocketServer.start(host: "127.0.0.1", port: 0, handler: WebSocketServer.echo)
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        let inbox = UIEventInbox()
        let effects = ClientEffects(
            connection: connection, feed: .init(nil), recording: RecordingSwitch(mode: .client), inbox: inbox)
        for text in ["one", "two", "three"] { effects.perform(.send(bytes: textFrame(text, masked: true))) }
        #expect(await nextText(connection) == "one")
        #expect(await nextText(connection) == "two")
        #expect(await nextText(connection) == "three")
        effects.perform(.inject(connection: 1, direction: .clientToServer, bytes: [0x81, 0x00]))
        effects.perform(.setIntercept(true))
        var told = UIEvents()
        #expect(
            await waitUntil {
                told.add(draining: inbox)
                return told.sendResults.count == 3 && told.notices.count == 2
            })
        #expect(told.sendResults == [nil, nil, nil])
        #expect(told.interceptChanges == [false])

        _ = try await connection.close(code: .normalClosure, reason: "")
        effects.perform(.send(bytes: textFrame("late", masked: true)))
        told = UIEvents()
        #expect(
            await waitUntil {
                told.add(draining: inbox)
                return told.sendResults.count == 1
            })
        #expect(told.sendResults.first??.hasPrefix("the connection is closed") == true)
        effects.finish()
        try await server.stop()
    }
}
