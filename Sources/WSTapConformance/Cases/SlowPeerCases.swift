import WSTapCore

/// wstap's own category 17, slow writers and readers: a server must wait for a client that writes a frame, or
/// its opening handshake, a few bytes at a time with pauses, and must keep (or hold back, through TCP's flow
/// control) the answers to a client that does not read for a while, then deliver them all, in order. A server that
/// gives up on a slow peer gets FAILED with what it did: a deliberate limit is a choice this category reports.
enum SlowPeerCases {
    static let cases: [ConformanceCase] = [
        ConformanceCase(
            "17.1.1", "a text message written one byte every 20 ms", [.text("written slowly, byte by byte")],
            .replies([.text("written slowly, byte by byte")]), chop: 1, pause: .milliseconds(20)),
        ConformanceCase(
            "17.1.2", "a binary message of 64 KiB in 1 KiB writes, 10 ms apart", [.binary(Payloads.binary(64 << 10))],
            .replies([.message(.binary, Payloads.binary(64 << 10))]), chop: 1024, pause: .milliseconds(10)),
        ConformanceCase(
            "17.1.3", "the opening handshake written 4 bytes every 10 ms", HandshakeCases.echo, HandshakeCases.echoed,
            opening: Opening(Opening.standardLines, .accept, chop: 4, pause: .milliseconds(10))),
        ConformanceCase(
            "17.2.1", "64 messages of 64 KiB while wstap reads nothing for 2 s",
            (0..<64).map { .binary(Payloads.binary(64 << 10) + [UInt8($0)]) },
            .replies((0..<64).map { .message(.binary, Payloads.binary(64 << 10) + [UInt8($0)]) }),
            readsAfter: .seconds(2)),
        ConformanceCase(
            "17.2.2", "1000 small messages while wstap reads nothing for 1 s",
            (0..<1000).map { .text("slow reader \($0)") }, .replies((0..<1000).map { .text("slow reader \($0)") }),
            readsAfter: .seconds(1)),
    ]
}
