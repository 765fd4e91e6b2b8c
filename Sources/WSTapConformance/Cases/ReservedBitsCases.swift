import WSTapCore

/// Autobahn 3.x: with no extension negotiated, a frame with RSV1, RSV2 or RSV3 set (any of the seven
/// combinations, on any kind of frame) fails the connection with 1002, and what follows it is ignored.
enum ReservedBitsCases {
    /// The frame kinds the bits are tried on.
    static let frames: [(name: String, frame: FrameSpec)] = [
        ("text", .text("reserved")),
        ("binary", .binary(Array("reserved".utf8))),
        ("ping", .ping("reserved")),
        ("close", .close(code: .normalClosure)),
        ("continuation", .continuation("reserved")),
    ]

    /// The Autobahn numbers of the combinations that correspond: text RSV2 after a message (3.2), binary RSV5
    /// (3.5), ping RSV6 (3.6), close RSV7 (3.7).
    static let autobahn: [String: String] = ["text 2": "3.2", "binary 5": "3.5", "ping 6": "3.6", "close 7": "3.7"]

    static let cases: [ConformanceCase] =
        [
            ConformanceCase(
                "3.1", "empty text with RSV1 alone", [FrameSpec(reservedBits: .rsv1)],
                .failure(.protocolError, after: [])),
            ConformanceCase(
                "3.3", "text with RSV 3 in 1-byte writes",
                [FrameSpec(reservedBits: ReservedBits(number: 3), payload: [65])],
                .failure(.protocolError, after: []), chop: 1),
        ]
        + frames.flatMap { kind in
            (UInt8(1)...7).map { number in
                var bad = kind.frame
                bad.reservedBits = ReservedBits(number: number)
                var frames: [FrameSpec] = [.text("before")]
                var expected: [Reply] = [.text("before")]
                if kind.name == "continuation" {
                    // The bits are just as wrong on a frame that continues a message.
                    frames = [.text(Array("open ".utf8), fin: false)]
                    expected = []
                }
                return ConformanceCase(
                    autobahn["\(kind.name) \(number)"] ?? "3.w",
                    "\(kind.name) with RSV \(number) after a valid message",
                    frames + [bad, .ping("after")], .failure(.protocolError, after: expected))
            }
        }
}
