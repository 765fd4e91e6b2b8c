import WSTapCore

/// Autobahn 5.x: fragmented messages are put back together (pings between fragments answered at once), and
/// every broken sequence of fragments fails the connection with 1002.
enum FragmentationCases {
    static let oneByteFragments: [FrameSpec] = {
        let bytes = Payloads.ascii(100)
        return bytes.indices.map { index in
            let piece = [bytes[index]]
            let fin = index == bytes.count - 1
            return index == 0 ? .text(piece, fin: fin) : .continuation(piece, fin: fin)
        }
    }()

    static let fivePiecesWithPings: [FrameSpec] = [
        .text(Array("f1".utf8), fin: false), .continuation("f2", fin: false), .ping("p1"),
        .continuation("f3", fin: false), .continuation("f4", fin: false), .ping("p2"), .continuation("f5"),
    ]

    static let cases: [ConformanceCase] = [
        ConformanceCase(
            "5.3", "text in 2 fragments", [.text(Array("frag".utf8), fin: false), .continuation("mented")],
            .replies([.text("fragmented")])),
        ConformanceCase(
            "5.4", "text in 2 fragments, in 1-byte writes",
            [.text(Array("frag".utf8), fin: false), .continuation("mented")], .replies([.text("fragmented")]), chop: 1),
        ConformanceCase(
            "5.5", "binary in 3 fragments",
            [.binary([0, 1], fin: false), .continuation([2, 3], fin: false), .continuation([0xFF])],
            .replies([.message(.binary, [0, 1, 2, 3, 0xFF])])),
        ConformanceCase(
            "5.6", "text in 2 fragments with a ping between",
            [.text(Array("frag".utf8), fin: false), .ping("between"), .continuation("mented")],
            .replies([.pong("between"), .text("fragmented")])),
        ConformanceCase(
            "5.7", "text in 2 fragments with a ping between, in 1-byte writes",
            [.text(Array("frag".utf8), fin: false), .ping("between"), .continuation("mented")],
            .replies([.pong("between"), .text("fragmented")]), chop: 1),
        ConformanceCase(
            "5.8", "text in 2 fragments with a pong between",
            [.text(Array("frag".utf8), fin: false), .pong(Array("between".utf8)), .continuation("mented")],
            .replies([.text("fragmented")])),
        ConformanceCase(
            "5.9", "continuation (final) with no message open", [.continuation("alone")],
            .failure(.protocolError, after: [])),
        ConformanceCase(
            "5.10", "continuation (final) with no message open, after a message",
            [.text("before"), .continuation("alone")], .failure(.protocolError, after: [.text("before")])),
        ConformanceCase(
            "5.11", "continuation (final) with no message open, in 1-byte writes", [.continuation("alone")],
            .failure(.protocolError, after: []), chop: 1),
        ConformanceCase(
            "5.12", "continuation (not final) with no message open", [.continuation("alone", fin: false)],
            .failure(.protocolError, after: [])),
        ConformanceCase(
            "5.15", "text in 2 fragments, then a continuation with no message open",
            [
                .text(Array("frag1".utf8), fin: false), .continuation("frag2"), .continuation("frag3", fin: false),
                .text("frag4"),
            ], .failure(.protocolError, after: [.text("frag1frag2")])),
        ConformanceCase(
            "5.16", "continuations first, then a message",
            [
                .continuation("c1", fin: false), .continuation("c2"), .text(Array("t1".utf8), fin: false),
                .continuation("t2"),
            ], .failure(.protocolError, after: [])),
        ConformanceCase(
            "5.18", "a new text frame while a fragmented message is open",
            [.text(Array("frag1".utf8), fin: false), .text("frag2")], .failure(.protocolError, after: [])),
        ConformanceCase(
            "5.19", "text in 5 fragments with 2 pings between", fivePiecesWithPings,
            .replies([.pong("p1"), .pong("p2"), .text("f1f2f3f4f5")])),
        ConformanceCase(
            "5.20", "text in 5 fragments with 2 pings between, in 1-byte writes", fivePiecesWithPings,
            .replies([.pong("p1"), .pong("p2"), .text("f1f2f3f4f5")]), chop: 1),
        ConformanceCase(
            "5.w", "a binary frame while a fragmented text message is open",
            [.text(Array("frag1".utf8), fin: false), .binary([1, 2])], .failure(.protocolError, after: [])),
        ConformanceCase(
            "5.w", "a new text frame (not final) while a fragmented binary message is open",
            [.binary([1], fin: false), .text(Array("x".utf8), fin: false), .continuation("y")],
            .failure(.protocolError, after: [])),
        ConformanceCase(
            "5.w", "text in 100 fragments of 1 byte", oneByteFragments,
            .replies([.message(.text, Payloads.ascii(100))])),
        ConformanceCase(
            "5.w", "binary with an empty last fragment", [.binary([9, 8], fin: false), .continuation([])],
            .replies([.message(.binary, [9, 8])])),
        ConformanceCase(
            "5.w", "close fragmented in 2",
            [FrameSpec(fin: false, opcode: .close, payload: [0x03]), .continuation([0xE8])],
            .failure(.protocolError, after: [])),
        ConformanceCase(
            "5.w", "two fragmented messages in a row",
            [.text(Array("a".utf8), fin: false), .continuation("b"), .binary([1], fin: false), .continuation([2])],
            .replies([.text("ab"), .message(.binary, [1, 2])])),
        ConformanceCase(
            "6.1.2", "text in 3 empty fragments",
            [.text([], fin: false), .continuation([], fin: false), .continuation([])], .replies([.text("")])),
        ConformanceCase(
            "6.1.3", "text in empty, 1-byte and empty fragments",
            [.text([], fin: false), .continuation("a", fin: false), .continuation([])], .replies([.text("a")])),
    ]
}
