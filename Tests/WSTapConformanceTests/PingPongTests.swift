import NIOCore
import Testing
import WSTapCore

/// Autobahn 2.x: pings are answered at once with a pong carrying the same payload, pongs nobody asked
/// for are ignored, and a ping that breaks the control-frame rules fails the connection with 1002.
@Suite struct PingPongTests {
    static let binaryPayload: [UInt8] = [0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF]
    static let tenPings = (0..<10).map { Array("ping \($0)".utf8) }

    static let cases: [WireCase] = [
        WireCase("2.1", "ping with no payload", [.ping()], .replies([.pong([])])),
        WireCase(
            "2.2", "ping with a text payload", [.ping("Hello, world!")], .replies([.pong(Array("Hello, world!".utf8))])),
        WireCase("2.3", "ping with a binary payload", [.ping(binaryPayload)], .replies([.pong(binaryPayload)])),
        WireCase("2.4", "ping of 125 bytes", [.ping(Payloads.binary(125))], .replies([.pong(Payloads.binary(125))])),
        WireCase("2.5", "ping of 126 bytes", [.ping(Payloads.binary(126))], .failure(.protocolError, after: [])),
        WireCase(
            "2.6", "ping of 125 bytes in 1-byte writes", [.ping(Payloads.binary(125))],
            .replies([.pong(Payloads.binary(125))]), chop: 1),
        WireCase("2.7", "unsolicited pong with no payload", [.pong(), .text("after")], .replies([.text("after")])),
        WireCase(
            "2.8", "unsolicited pong with a payload", [.pong(Array("unsolicited".utf8)), .text("after")],
            .replies([.text("after")])),
        WireCase(
            "2.9", "unsolicited pong, then a ping", [.pong(Array("unsolicited".utf8)), .ping("solicited")],
            .replies([.pong(Array("solicited".utf8))])),
        WireCase("2.10", "10 pings in a row", tenPings.map { .ping($0) }, .replies(tenPings.map { .pong($0) })),
        WireCase(
            "2.11", "10 pings in a row, in 1-byte writes", tenPings.map { .ping($0) },
            .replies(tenPings.map { .pong($0) }),
            chop: 1),
        WireCase(
            "2.12", "ping between two messages", [.text("one"), .ping("between"), .text("two")],
            .replies([.text("one"), .pong(Array("between".utf8)), .text("two")])),
        WireCase(
            "5.1", "ping fragmented in 2", [.ping(Array("frag".utf8), fin: false), .continuation("mented")],
            .failure(.protocolError, after: [])),
        WireCase(
            "5.2", "pong fragmented in 2", [.pong(Array("frag".utf8), fin: false), .continuation("mented")],
            .failure(.protocolError, after: [])),
        WireCase(
            "2.13", "ping of 5 bytes with a 16-bit length (not minimal)",
            [FrameSpec(opcode: .ping, lengthEncoding: .bits16, payload: Array("hello".utf8))],
            .failure(.protocolError, after: [])),
    ]

    @Test(arguments: Side.allCases, cases)
    func answersPings(side: Side, wireCase: WireCase) async throws {
        try await ConformanceRunner.run(wireCase, on: side)
    }

    /// Pings reach the user as events once answered.
    @Test(arguments: Side.allCases)
    func pingsAreReported(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        await session.peer.send(.ping("seen"))
        let transcript = await session.read(replies: 1)
        #expect(transcript.replies == [.pong(Array("seen".utf8))])
        await session.closeCleanly()
        let pings = await session.deliveredEvents().compactMap { event -> [UInt8]? in
            guard case .ping(let payload) = event else { return nil }
            return Array(payload.readableBytesView)
        }
        #expect(pings == [Array("seen".utf8)])
        await session.finish()
    }
}
