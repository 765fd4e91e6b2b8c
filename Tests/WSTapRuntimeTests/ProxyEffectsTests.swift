import NIOCore
import Testing
import WSTapCore
import WSTapProxy
import WSTapRuntime
import WSTapSession
import WSTapUI

/// The UI's effects on a running proxy (`i`, `x`, `R`, `r`, the held-frame keys), and what the UI is told.
@Suite struct ProxyEffectsTests {
    /// A reverse proxy on a free port (no client connects: the upstream is never reached).
    private func withProxy(
        _ body: (ListeningProxy, RecordingSwitch, UIEventInbox, @Sendable (UIEffect) -> Void) throws -> Void
    ) async throws {
        let inbox = UIEventInbox()
        let recording = RecordingSwitch()
        let proxy = try await ReverseProxy.start(
            host: "127.0.0.1", port: 0,
            options: ProxyOptions(upstream: try WebSocketURL("ws://127.0.0.1:9/"), events: { inbox.add($0) }))
        let perform = ProxyEffects.performer(controller: proxy.controller, recording: recording, inbox: inbox)
        do {
            try body(proxy, recording, inbox, perform)
        } catch {
            try? await proxy.stop()
            throw error
        }
        try await proxy.stop()
    }

    @Test func interceptTurnsOnAndOffBothWays() async throws {
        try await withProxy { proxy, _, inbox, perform in
            perform(.setIntercept(true))
            #expect(proxy.controller.intercept.directions == [.clientToServer, .serverToClient])
            perform(.setIntercept(false))
            #expect(proxy.controller.intercept.directions.isEmpty)
            #expect(UIEvents(draining: inbox).interceptChanges == [true, false])
        }
    }

    @Test func whatCannotBeDoneIsSaidNotThrown() async throws {
        try await withProxy { _, _, inbox, perform in
            perform(.inject(connection: 41, direction: .clientToServer, bytes: [0x81, 0x00]))
            perform(.send(bytes: [0x81, 0x00]))
            perform(.decideHeld(holdID: 7, decision: .forward))
            perform(.decideHeld(holdID: 7, decision: .replace([0x81, 0x00])))
            perform(.closeSide(connection: 41, side: .client))
            let told = UIEvents(draining: inbox)
            #expect(told.sendResults.count == 2)
            #expect(told.sendResults.allSatisfy { $0 != nil }, "no connection 41, no held frame 7")
            #expect(told.notices.count == 3)
            #expect(
                told.notices.first == "a proxy has no client connection of its own: inject into a connection instead")
        }
    }

    @Test func recordingStartsAndStopsWithItsNotices() async throws {
        let files = try RecordingFiles("proxy-effects")
        defer { files.remove() }
        let path = files.path("effects.jsonl")
        try await withProxy { _, recording, inbox, perform in
            perform(.startRecording(path: path))
            for event in TrafficEvents.texts(["kept"]) { recording.record(event) }
            perform(.stopRecording)
            let told = UIEvents(draining: inbox)
            #expect(told.recordingChanges == [path, nil])
            #expect(told.notices.count == 2)
            #expect(told.notices.first == "recording to \(path)")
            #expect(told.notices.last?.hasPrefix("recording written: \(path) (") == true)
        }
        #expect(try RecordingReader(path: path).eventCount == 1)
    }
}
