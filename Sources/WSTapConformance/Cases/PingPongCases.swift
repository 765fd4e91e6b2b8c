import WSTapCore

/// Autobahn 2.x: pings are answered at once with a pong carrying the same payload, pongs nobody asked for are
/// ignored, and a ping that breaks the control-frame rules fails the connection with 1002.
enum PingPongCases {
    static let binaryPayload: [UInt8] = [0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF]
    static let tenPings = (0..<10).map { Array("ping \($0)".utf8) }

    static let cases: [ConformanceCase] = [
        ConformanceCase("2.1", "ping with no payload", [.ping()], .replies([.pong([])])),
        ConformanceCase(
            "2.2", "ping with a text payload", [.ping("Hello, world!")], .replies([.pong("Hello, world!")])),
        ConformanceCase("2.3", "ping with a binary payload", [.ping(binaryPayload)], .replies([.pong(binaryPayload)])),
        ConformanceCase(
            "2.4", "ping of 125 bytes", [.ping(Payloads.binary(125))], .replies([.pong(Payloads.binary(125))])),
        ConformanceCase("2.5", "ping of 126 bytes", [.ping(Payloads.binary(126))], .failure(.protocolError, after: [])),
        ConformanceCase(
            "2.6", "ping of 125 bytes in 1-byte writes", [.ping(Payloads.binary(125))],
            .replies([.pong(Payloads.binary(125))]), chop: 1),
        ConformanceCase(
            "2.7", "unsolicited pong with no payload", [.pong(), .text("after")], .replies([.text("after")])),
        ConformanceCase(
            "2.8", "unsolicited pong with a payload", [.pong(Array("unsolicited".utf8)), .text("after")],
            .replies([.text("after")])),
        ConformanceCase(
            "2.9", "unsolicited pong, then a ping", [.pong(Array("unsolicited".utf8)), .ping("solicited")],
            .replies([.pong("solicited")])),
        ConformanceCase("2.10", "10 pings in a row", tenPings.map { .ping($0) }, .replies(tenPings.map { .pong($0) })),
        ConformanceCase(
            "2.11", "10 pings in a row, in 1-byte writes", tenPings.map { .ping($0) },
            .replies(tenPings.map { .pong($0) }), chop: 1),
        ConformanceCase(
            "2.w", "ping between two messages", [.text("one"), .ping("between"), .text("two")],
            .replies([.text("one"), .pong("between"), .text("two")])),
        ConformanceCase(
            "2.w", "ping of 5 bytes with a 16-bit length (not minimal)",
            [FrameSpec(opcode: .ping, lengthEncoding: .bits16, payload: Array("hello".utf8))],
            .failure(.protocolError, after: []), tolerated: .replies([.pong("hello")])),
        ConformanceCase(
            "5.1", "ping fragmented in 2", [.ping(Array("frag".utf8), fin: false), .continuation("mented")],
            .failure(.protocolError, after: [])),
        ConformanceCase(
            "5.2", "pong fragmented in 2", [.pong(Array("frag".utf8), fin: false), .continuation("mented")],
            .failure(.protocolError, after: [])),
    ]
}
