import Testing
import WSTapCore

/// Autobahn 5.x: fragmented messages are put back together (pings between fragments answered at once),
/// and every broken sequence of fragments fails the connection with 1002.
@Suite struct FragmentationTests {
    static let oneByteFragments: [FrameSpec] = {
        let bytes = Payloads.ascii(100)
        return bytes.indices.map { index in
            let piece = [bytes[index]]
            let fin = index == bytes.count - 1
            return index == 0 ? .text(piece, fin: fin) : .continuation(piece, fin: fin)
        }
    }()

    static let cases: [WireCase] = [
        WireCase(
            "5.3", "text in 2 fragments", [.text(Array("frag".utf8), fin: false), .continuation("mented")],
            .replies([.text("fragmented")])),
        WireCase(
            "5.4", "text in 2 fragments, in 1-byte writes",
            [.text(Array("frag".utf8), fin: false), .continuation("mented")],
            .replies([.text("fragmented")]), chop: 1),
        WireCase(
            "5.5", "binary in 3 fragments",
            [.binary([0, 1], fin: false), .continuation([2, 3], fin: false), .continuation([0xFF])],
            .replies([.message(.binary, [0, 1, 2, 3, 0xFF])])),
        WireCase(
            "5.6", "text in 2 fragments with a ping between",
            [.text(Array("frag".utf8), fin: false), .ping("between"), .continuation("mented")],
            .replies([.pong(Array("between".utf8)), .text("fragmented")])),
        WireCase(
            "5.7", "text in 2 fragments with a ping between, in 1-byte writes",
            [.text(Array("frag".utf8), fin: false), .ping("between"), .continuation("mented")],
            .replies([.pong(Array("between".utf8)), .text("fragmented")]), chop: 1),
        WireCase(
            "5.8", "text in 2 fragments with a pong between",
            [.text(Array("frag".utf8), fin: false), .pong(Array("between".utf8)), .continuation("mented")],
            .replies([.text("fragmented")])),
        WireCase(
            "5.9", "continuation (final) with no message open", [.continuation("alone")],
            .failure(.protocolError, after: [])),
        WireCase(
            "5.10", "continuation (final) with no message open, after a message",
            [.text("before"), .continuation("alone")],
            .failure(.protocolError, after: [.text("before")])),
        WireCase(
            "5.11", "continuation (final) with no message open, in 1-byte writes", [.continuation("alone")],
            .failure(.protocolError, after: []), chop: 1),
        WireCase(
            "5.12", "continuation (not final) with no message open", [.continuation("alone", fin: false)],
            .failure(.protocolError, after: [])),
        WireCase(
            "5.15", "text in 2 fragments, then a continuation with no message open",
            [
                .text(Array("frag1".utf8), fin: false), .continuation("frag2"), .continuation("frag3", fin: false),
                .text("frag4"),
            ], .failure(.protocolError, after: [.text("frag1frag2")])),
        WireCase(
            "5.16", "continuations first, then a message",
            [
                .continuation("c1", fin: false), .continuation("c2"), .text(Array("t1".utf8), fin: false),
                .continuation("t2"),
            ],
            .failure(.protocolError, after: [])),
        WireCase(
            "5.18", "a new text frame while a fragmented message is open",
            [.text(Array("frag1".utf8), fin: false), .text("frag2")], .failure(.protocolError, after: [])),
        WireCase(
            "5.18.2", "a binary frame while a fragmented text message is open",
            [.text(Array("frag1".utf8), fin: false), .binary([1, 2])], .failure(.protocolError, after: [])),
        WireCase(
            "5.18.3", "a new text frame (not final) while a fragmented binary message is open",
            [.binary([1], fin: false), .text(Array("x".utf8), fin: false), .continuation("y")],
            .failure(.protocolError, after: [])),
        WireCase(
            "5.19", "text in 5 fragments with 2 pings between",
            [
                .text(Array("f1".utf8), fin: false), .continuation("f2", fin: false), .ping("p1"),
                .continuation("f3", fin: false), .continuation("f4", fin: false), .ping("p2"), .continuation("f5"),
            ], .replies([.pong(Array("p1".utf8)), .pong(Array("p2".utf8)), .text("f1f2f3f4f5")])),
        WireCase(
            "5.20", "text in 5 fragments with 2 pings between, in 1-byte writes",
            [
                .text(Array("f1".utf8), fin: false), .continuation("f2", fin: false), .ping("p1"),
                .continuation("f3", fin: false), .continuation("f4", fin: false), .ping("p2"), .continuation("f5"),
            ], .replies([.pong(Array("p1".utf8)), .pong(Array("p2".utf8)), .text("f1f2f3f4f5")]), chop: 1),
        WireCase(
            "5.21", "text in 100 fragments of 1 byte", oneByteFragments,
            .replies([.message(.text, Payloads.ascii(100))])),
        WireCase(
            "6.1.2", "text in 3 empty fragments",
            [.text([], fin: false), .continuation([], fin: false), .continuation([])], .replies([.text("")])),
        WireCase(
            "6.1.3", "text in empty, 1-byte and empty fragments",
            [.text([], fin: false), .continuation("a", fin: false), .continuation([])], .replies([.text("a")])),
        WireCase(
            "5.22", "binary with an empty last fragment", [.binary([9, 8], fin: false), .continuation([])],
            .replies([.message(.binary, [9, 8])])),
        WireCase(
            "5.23", "close fragmented in 2",
            [FrameSpec(fin: false, opcode: .close, payload: [0x03]), .continuation([0xE8])],
            .failure(.protocolError, after: [])),
        WireCase(
            "5.24", "two fragmented messages in a row",
            [.text(Array("a".utf8), fin: false), .continuation("b"), .binary([1], fin: false), .continuation([2])],
            .replies([.text("ab"), .message(.binary, [1, 2])])),
    ]

    @Test(arguments: Side.allCases, cases)
    func fragments(side: Side, wireCase: WireCase) async throws {
        try await ConformanceRunner.run(wireCase, on: side)
    }

    /// A ping between two fragments is answered before the message is complete, and the message still
    /// arrives whole.
    @Test(arguments: Side.allCases)
    func pingBetweenFragmentsIsAnsweredAtOnce(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        await session.peer.send([.text(Array("first half, ".utf8), fin: false), .ping("now")])
        let pong = await session.read(replies: 1)
        #expect(pong.replies == [.pong(Array("now".utf8))])
        #expect(pong.problems.isEmpty, "\(pong.problems)")
        await session.peer.send(.continuation("second half"))
        let echo = await session.read(replies: 1)
        #expect(echo.replies == [.text("first half, second half")])
        await session.closeCleanly()
        await session.finish()
    }
}
