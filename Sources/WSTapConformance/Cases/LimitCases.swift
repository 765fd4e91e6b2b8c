import WSTapCore

/// Autobahn 9.x and RFC 6455 10.4: large messages go through whole, long series of messages are all echoed in
/// order, and (against a declared limit) messages over the endpoint's size limit fail the connection with 1009.
enum LimitCases {
    /// Autobahn 9.1.x and 9.2.x: one text, then one binary message of each size.
    static let sizes = [64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20]

    /// 4 MiB of text: κόσμε and an emoji over and over.
    static let characters = Array(String(repeating: "κόσμε 😀 ", count: (4 << 20) / 16).utf8)

    static let large: [ConformanceCase] =
        ConformanceCase.echoes("9.1", sizes: sizes, binary: false) { "text of \($0 >> 10) KiB" }
        + ConformanceCase.echoes("9.2", sizes: sizes, binary: true) { "binary of \($0 >> 10) KiB" }
        + [
            ConformanceCase(
                "9.w", "1000 small messages in one burst", (0..<1000).map { .text("message \($0)") },
                .replies((0..<1000).map { .text("message \($0)") })),
            ConformanceCase(
                "9.w", "4 MiB of text with 2- and 4-byte characters", [.text(characters)],
                .replies([.message(.text, characters)])),
        ]

    /// Messages just over, at and well over `limit` bytes (the endpoint's declared maximum message size); the
    /// header that announces too much is enough to fail the connection.
    static func overLimit(_ limit: Int) -> [ConformanceCase] {
        let small: [FrameSpec] = [.text("one"), .binary([2, 2])]
        return [
            ConformanceCase(
                "9.0.w", "text one byte over the limit", [.text(Payloads.ascii(limit + 1))],
                .failure(.messageTooBig, after: [])),
            ConformanceCase(
                "9.0.w", "binary one byte over the limit, after one at the limit",
                [.binary(Payloads.binary(limit)), .binary(Payloads.binary(limit + 1))],
                .failure(.messageTooBig, after: [.message(.binary, Payloads.binary(limit))])),
            ConformanceCase(
                "9.0.w", "fragments adding up to more than the limit",
                [.text(Payloads.ascii(limit / 2 + 100), fin: false), .continuation(Payloads.ascii(limit / 2 + 100))],
                .failure(.messageTooBig, after: [])),
            ConformanceCase(
                "9.0.w", "a message at the limit in 10 fragments",
                (0..<10).map { index in
                    let piece = Payloads.ascii(limit / 10 + (index == 9 ? limit % 10 : 0))
                    return index == 0 ? .text(piece, fin: false) : .continuation(piece, fin: index == 9)
                },
                .replies([
                    .message(
                        .text,
                        Array(
                            (0..<10).map { index in Payloads.ascii(limit / 10 + (index == 9 ? limit % 10 : 0)) }
                                .joined()))
                ])),
            ConformanceCase(
                "9.0.w", "small messages, then one too big", small + [.binary(Payloads.binary(limit + 100))],
                .failure(.messageTooBig, after: [.text("one"), .message(.binary, [2, 2])])),
            ConformanceCase(
                "9.0.w", "a header announcing 1 MiB over the limit, failed before the payload",
                [.binary(Payloads.binary(limit + (1 << 20)))], .failure(.messageTooBig, after: []),
                cut: .insideFrame(0, payloadBytes: 0)),
        ]
    }
}
