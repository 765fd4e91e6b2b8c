import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapReplay

/// How a recorded connection is laid out for replay: pings and pongs (keepalives a peer sends on its own)
/// are neither waited for nor counted; data messages and closes are.
@Suite struct ReplayScriptTests {
    @Test func keepalivesAreNotCounted() throws {
        let time = TrafficTimestamp(wallSeconds: 1, monotonicNanoseconds: 1)
        let opened = TrafficEvent.ConnectionOpened(
            connection: 1, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9/",
            request: HTTPRequestHead(method: "GET", target: "/"),
            response: HTTPResponseHead(statusCode: 101, reason: "Switching Protocols"), variant: .rfc6455,
            framing: .old, subprotocol: nil, extensions: [], at: time)
        var transcript = ConnectionTranscript(connection: 1, opened: opened)
        var tap = TrafficTap(connection: 1, variant: .rfc6455)
        let key = FrameSpec.Mask.key(MaskingKey(value: 7))
        let pieces: [(TrafficDirection, FrameSpec)] = [
            (.serverToClient, FrameSpec(opcode: .ping, payload: [1])),  // a keepalive
            (.clientToServer, FrameSpec(opcode: .pong, mask: key, payload: [1])),
            (.clientToServer, .text("question", mask: key)),
            (.serverToClient, .text("answer")),
            (.clientToServer, .close(code: .normalClosure, mask: key)),
            (.serverToClient, .close(code: .normalClosure)),
        ]
        for (direction, spec) in pieces {
            tap.bytes(ByteBuffer(bytes: try FrameEncoder.encode(spec)), direction: direction, at: time) { event in
                if case .frame(let frame) = event {
                    transcript.items.append(.frame(frame, wireBytes: RecordedFrameBytes.of(frame)))
                }
            }
        }
        let script = try ReplayScript(transcript)
        #expect(script.clientSends.map(\.repliesBefore) == [0, 0, 1])
        #expect(script.serverSends.map(\.afterClientMessages) == [0, 1, 2])
        #expect(script.clientMessages.count == 3)
        #expect(script.serverMessages.count == 3)
    }
}
