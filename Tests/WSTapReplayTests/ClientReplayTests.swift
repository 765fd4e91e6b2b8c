import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapReplay
import WSTapTestSupport

/// A session recorded through the proxy against python3-websockets' echo server, replayed as the client
/// against the same kind of server (the check passes) and against one answering differently (it fails,
/// saying where).
@Suite(.serialized) struct ClientReplayTests {
    /// How long a replay waits for replies; only reached when something is wrong (or the machine is very
    /// busy), so it is generous.
    static let patience = Duration.seconds(30)

    final class Events: Sendable {
        let box = NIOLockedValueBox<[TrafficEvent]>([])
        func append(_ event: TrafficEvent) { box.withLockedValue { $0.append(event) } }
        var frames: [TrafficEvent.FrameSeen] {
            box.withLockedValue {
                $0.compactMap { if case .frame(let frame) = $0 { return frame } else { return nil } }
            }
        }
    }

    static func recordAgainstPythonEcho() async throws -> ReplayScript {
        let (server, port) = try await PeerProcess.pythonServer("echo")
        defer { server.stop() }
        let events = try await RecordedSession.record(
            upstream: "ws://127.0.0.1:\(port)/", subprotocols: ["chat"], scenario: RecordedSession.conversation)
        return try ReplayScript.select(ConnectionTranscript.group(events), connection: nil)
    }

    @Test(arguments: [(Double?.none, false), (Double?.none, true), (Double?(4), false)])
    func replayAgainstTheSameServerPassesTheCheck(speed: Double?, waits: Bool) async throws {
        let script = try await Self.recordAgainstPythonEcho()
        #expect(script.clientMessages.filter(\.isData).count == 4)
        #expect(script.serverMessages.contains { $0.closeBody?.code == .normalClosure })
        let (server, port) = try await PeerProcess.pythonServer("echo")
        defer { server.stop() }
        let events = Events()
        let result = try await ClientReplayer.run(
            script,
            options: ClientReplayOptions(
                target: try WebSocketURL("ws://127.0.0.1:\(port)"), speed: speed, waitsForReplies: waits,
                replyTimeout: Self.patience),
            events: { events.append($0) })
        #expect(result.response.statusCode == 101)
        #expect(result.response.headers.first("Sec-WebSocket-Protocol") == "chat")
        #expect(result.sentCount == script.clientSends.count)
        let differences = MessageComparison.differences(expected: script.serverMessages, actual: result.replies)
        #expect(differences.isEmpty, "\(differences)")
        // The replies are really there (a replay that received nothing must not pass by comparing nothing).
        #expect(result.replies.filter(\.isData).count == 4)
        #expect(result.replies.contains { $0.opcode == .pong })
        // Fresh masking keys, same payloads.
        let recordedKeys = Set(script.clientSends.compactMap { $0.frame?.header.maskingKey })
        let sent = events.frames.filter { $0.direction == .clientToServer }
        #expect(sent.count == script.clientSends.count)
        for frame in sent {
            guard case .rfc6455(let decoded) = frame.content else { continue }
            #expect(decoded.header.maskingKey.map { recordedKeys.contains($0) } == false)
        }
    }

    /// A consumer of the events (the recorder) that is behind until released.
    final class HeldBack: TrafficBackpressure {
        private let state = NIOLockedValueBox((behind: true, waiting: [@Sendable () -> Void]()))
        var isBehind: Bool { state.withLockedValue { $0.behind } }
        var waitingCount: Int { state.withLockedValue { $0.waiting.count } }
        func whenCaughtUp(_ action: @escaping @Sendable () -> Void) {
            let now = state.withLockedValue { state -> Bool in
                if state.behind { state.waiting.append(action) }
                return !state.behind
            }
            if now { action() }
        }
        func release() {
            let waiting = state.withLockedValue { state in
                state.behind = false
                defer { state.waiting.removeAll() }
                return state.waiting
            }
            for action in waiting { action() }
        }
    }

    /// While the consumer of the events is behind, the replayer stops reading the server's replies (it waits
    /// to be told that the consumer caught up); then it reads them all.
    @Test func aConsumerBehindPausesReadingUntilItCatchesUp() async throws {
        let script = try await Self.recordAgainstPythonEcho()
        let (server, port) = try await PeerProcess.pythonServer("echo")
        defer { server.stop() }
        let heldBack = HeldBack()
        var options = ClientReplayOptions(
            target: try WebSocketURL("ws://127.0.0.1:\(port)"), speed: nil, replyTimeout: Self.patience)
        options.backpressure = heldBack
        let replay = Task { try await ClientReplayer.run(script, options: options) }
        #expect(await waitUntil { heldBack.waitingCount == 1 }, "the replayer did not wait for the consumer")
        heldBack.release()
        let result = try await replay.value
        #expect(MessageComparison.differences(expected: script.serverMessages, actual: result.replies).isEmpty)
        #expect(result.replies.filter(\.isData).count == 4)
    }

    @Test func keepMasksSendsTheRecordedBytes() async throws {
        let script = try await Self.recordAgainstPythonEcho()
        let (server, port) = try await PeerProcess.pythonServer("echo")
        defer { server.stop() }
        let events = Events()
        let result = try await ClientReplayer.run(
            script,
            options: ClientReplayOptions(
                target: try WebSocketURL("ws://127.0.0.1:\(port)"), speed: nil, keepsMasks: true,
                replyTimeout: Self.patience),
            events: { events.append($0) })
        #expect(MessageComparison.differences(expected: script.serverMessages, actual: result.replies).isEmpty)
        let sent = events.frames.filter { $0.direction == .clientToServer }.compactMap(RecordedFrameBytes.of)
        #expect(sent == script.clientSends.map(\.wireBytes))
    }

    @Test func replayAgainstADifferentServerFailsTheCheckReadably() async throws {
        let script = try await Self.recordAgainstPythonEcho()
        let (server, port) = try await PeerProcess.pythonServer("upper")
        defer { server.stop() }
        let result = try await ClientReplayer.run(
            script,
            options: ClientReplayOptions(
                target: try WebSocketURL("ws://127.0.0.1:\(port)"), speed: nil, waitsForReplies: true,
                replyTimeout: Self.patience))
        let differences = MessageComparison.differences(expected: script.serverMessages, actual: result.replies)
        #expect(differences.count == 3, "\(differences)")  // three text messages; binary comes back the same
        #expect(differences.first == #"message #1: expected text "Hello", got text "HELLO""#)
        #expect(
            differences.contains { $0.hasPrefix(#"message #3: expected text "fragmented", got text "FRAGMENTED""#) })
    }

    @Test func invalidFramesAreSentAsRecorded() async throws {
        // A recording whose client sent a frame with RSV2 set: replayed byte for byte, python3-websockets
        // refuses it with 1002, as it would have the original.
        let recorded = try await Self.recordAgainstPythonEcho()
        var transcript = ConnectionTranscript(connection: 9, opened: recorded.opened)
        var tap = TrafficTap(connection: 9, variant: .rfc6455)
        let time = recorded.opened.at
        let pieces: [(TrafficDirection, FrameSpec)] = [
            (.clientToServer, FrameSpec.text("fine", mask: .key(MaskingKey(value: 0x0102_0304)))),
            (.serverToClient, FrameSpec.text("fine")),
            (
                .clientToServer,
                FrameSpec(
                    reservedBits: .rsv2, opcode: .text, mask: .key(MaskingKey(value: 0x0506_0708)),
                    payload: Array("bad".utf8))
            ),
            (.serverToClient, FrameSpec.close(code: .protocolError)),
        ]
        for (direction, spec) in pieces {
            tap.bytes(ByteBuffer(bytes: try FrameEncoder.encode(spec)), direction: direction, at: time) { event in
                if case .frame(let frame) = event {
                    transcript.items.append(.frame(frame, wireBytes: RecordedFrameBytes.of(frame)))
                }
            }
        }
        let script = try ReplayScript(transcript)
        #expect(script.clientSends.count == 2)
        #expect(script.clientSends.last?.repliesBefore == 1)
        let (server, port) = try await PeerProcess.pythonServer("echo")
        defer { server.stop() }
        let result = try await ClientReplayer.run(
            script,
            options: ClientReplayOptions(
                target: try WebSocketURL("ws://127.0.0.1:\(port)"), speed: nil, waitsForReplies: true,
                replyTimeout: Self.patience))
        let replies = result.replies.map(MessageComparison.describe)
        #expect(result.replies.first?.text == "fine", "\(replies)")
        #expect(result.replies.contains { $0.closeBody?.code == .protocolError }, "\(replies)")
    }

    @Test func deadServerIsAClearError() async throws {
        let script = try await Self.recordAgainstPythonEcho()
        await #expect(throws: ReplayError.self) {
            _ = try await ClientReplayer.run(
                script, options: ClientReplayOptions(target: try WebSocketURL("ws://127.0.0.1:1"), speed: nil))
        }
    }
}
