import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapReplay

/// Which message `wstap repeat --frame N` sends, and how many replies it waits for.
@Suite struct RepeatRequestTests {
    static let key = FrameSpec.Mask.key(MaskingKey(value: 7))

    /// A connection: a greeting, a fragmented text with a ping between its fragments and two replies, a
    /// binary message with one reply, the close.
    static func transcript() throws -> ConnectionTranscript {
        let time = TrafficTimestamp(wallSeconds: 1, monotonicNanoseconds: 1)
        let opened = TrafficEvent.ConnectionOpened(
            connection: 1, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9/",
            request: HTTPRequestHead(method: "GET", target: "/"),
            response: HTTPResponseHead(statusCode: 101, reason: "Switching Protocols"), variant: .rfc6455,
            framing: .old, subprotocol: nil, extensions: [], at: time)
        var transcript = ConnectionTranscript(connection: 1, opened: opened)
        var tap = TrafficTap(connection: 1, variant: .rfc6455)
        let pieces: [(TrafficDirection, FrameSpec)] = [
            (.serverToClient, .text("welcome")),  // 1
            (.clientToServer, FrameSpec(fin: false, opcode: .text, mask: key, payload: Array("frag".utf8))),  // 2
            (.clientToServer, FrameSpec(opcode: .ping, mask: key, payload: [9])),  // 3
            (.clientToServer, FrameSpec(opcode: .continuation, mask: key, payload: Array("ment".utf8))),  // 4
            (.serverToClient, FrameSpec(opcode: .pong, payload: [9])),  // 5
            (.serverToClient, .text("one")),  // 6
            (.serverToClient, .text("two")),  // 7
            (.clientToServer, FrameSpec(opcode: .binary, mask: key, payload: [1, 2])),  // 8
            (.serverToClient, .text("three")),  // 9
            (.clientToServer, .close(code: .normalClosure, mask: key)),  // 10
            (.serverToClient, .close(code: .normalClosure)),  // 11
        ]
        for (direction, spec) in pieces {
            tap.bytes(ByteBuffer(bytes: try FrameEncoder.encode(spec)), direction: direction, at: time) { event in
                if case .frame(let frame) = event {
                    transcript.items.append(.frame(frame, wireBytes: RecordedFrameBytes.of(frame)))
                }
            }
        }
        return transcript
    }

    @Test func aFragmentStandsForItsWholeMessage() throws {
        let transcript = try Self.transcript()
        for frame in [2, 4] {
            let request = try RepeatRequest.select(transcript, frame: frame)
            #expect(request.opcode == .text)
            #expect(request.payload == Array("fragment".utf8))
            #expect(request.greetings == 1, "the welcome came before the client's first message")
            #expect(request.expectedReplies == 2, "one and two came before the client's next message")
        }
    }

    @Test func aPingBetweenFragmentsIsItself() throws {
        let request = try RepeatRequest.select(try Self.transcript(), frame: 3)
        #expect(request.opcode == .ping)
        #expect(request.payload == [9])
    }

    @Test func theLastMessageAndAServerMessage() throws {
        let transcript = try Self.transcript()
        let binary = try RepeatRequest.select(transcript, frame: 8)
        #expect(binary.opcode == .binary)
        #expect(binary.payload == [1, 2])
        #expect(binary.expectedReplies == 1)
        let server = try RepeatRequest.select(transcript, frame: 9)
        #expect(server.payload == Array("three".utf8), "a server message can be sent to the server too")
    }

    @Test func noSuchFrame() throws {
        let transcript = try Self.transcript()
        let error = #expect(throws: ReplayError.self) { try RepeatRequest.select(transcript, frame: 12) }
        #expect(error?.description.contains("has 11 frames: no frame 12") == true, "\(String(describing: error))")
    }
}
