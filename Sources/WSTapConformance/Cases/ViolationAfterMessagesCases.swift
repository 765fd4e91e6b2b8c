import WSTapCore

/// Fail fast, but not before what came first (Autobahn's strict behaviour in 3.2-3.4, 4.1.3-4.1.5, 4.2.3-4.2.5,
/// 5.15 and alike): when valid messages and a violation arrive in one write, every message before the
/// violation is delivered and echoed, then the connection fails with the violation's code.
enum ViolationAfterMessagesCases {
    static let messages: [FrameSpec] = [
        .text("one"), .binary([2, 2]), .text(Array("thr".utf8), fin: false), .continuation("ee"),
    ]
    static let echoes: [Reply] = [.text("one"), .message(.binary, [2, 2]), .text("three")]

    static let cases: [ConformanceCase] = [
        ConformanceCase(
            "3.w", "messages, then RSV2 on a text frame", messages + [FrameSpec(reservedBits: .rsv2, payload: [65])],
            .failure(.protocolError, after: echoes)),
        ConformanceCase(
            "4.1.w", "messages, then reserved opcode 3", messages + [FrameSpec(opcode: Opcode(lowBitsOf: 3))],
            .failure(.protocolError, after: echoes)),
        ConformanceCase(
            "4.2.w", "messages and a ping, then reserved opcode 11",
            messages + [.ping("p"), FrameSpec(opcode: Opcode(lowBitsOf: 11))],
            .failure(.protocolError, after: echoes + [.pong("p")])),
        ConformanceCase(
            "5.w", "messages, then a continuation with no message open", messages + [.continuation("stray")],
            .failure(.protocolError, after: echoes)),
        ConformanceCase(
            "6.w", "messages, then text that is not UTF-8", messages + [.text([0x61, 0xC3, 0x28])],
            .failure(.invalidPayloadData, after: echoes)),
    ]
}
