import WSTapCore

/// Autobahn 1.x: text and binary messages of every payload length class (7-bit, 16-bit and 64-bit lengths and
/// their edges) are echoed exactly, whether the bytes arrive at once or in small pieces; headers that break a
/// rule on their own (a length that is not minimal or whose top bit is set), and frames masked the wrong way
/// (RFC 6455 5.1), fail the connection.
enum FramingCases {
    /// The edges of the three length encodings (Autobahn 1.1.1 to 1.1.7).
    static let lengths = [0, 125, 126, 127, 128, 65535, 65536]

    static let mebibyteText = Payloads.ascii(1 << 20)
    static let mebibyteBinary = Payloads.binary(1 << 20)

    static let echoes: [ConformanceCase] =
        ConformanceCase.echoes("1.1", sizes: lengths, binary: false) { "text of \($0) bytes" }
        + [
            ConformanceCase(
                "1.1.8", "text of 65536 bytes in 997-byte writes", [.text(Payloads.ascii(65536))],
                .replies([.message(.text, Payloads.ascii(65536))]), chop: 997)
        ]
        + ConformanceCase.echoes("1.2", sizes: lengths, binary: true) { "binary of \($0) bytes" }
        + [
            ConformanceCase(
                "1.2.8", "binary of 65536 bytes in 997-byte writes", [.binary(Payloads.binary(65536))],
                .replies([.message(.binary, Payloads.binary(65536))]), chop: 997),
            ConformanceCase(
                "1.1.w", "text of 1 MiB", [.text(mebibyteText)], .replies([.message(.text, mebibyteText)])),
            ConformanceCase(
                "1.1.w", "text of 126 bytes in 1-byte writes", [.text(Payloads.ascii(126))],
                .replies([.message(.text, Payloads.ascii(126))]), chop: 1),
            ConformanceCase(
                "1.1.w", "text of 300 bytes, three messages, in 1-byte writes",
                [.text(Payloads.ascii(300)), .text(Payloads.ascii(1)), .text(Payloads.ascii(0))],
                .replies([
                    .message(.text, Payloads.ascii(300)), .message(.text, Payloads.ascii(1)),
                    .message(.text, Payloads.ascii(0)),
                ]), chop: 1),
            ConformanceCase(
                "1.2.w", "binary of 1 MiB", [.binary(mebibyteBinary)], .replies([.message(.binary, mebibyteBinary)])),
            ConformanceCase(
                "1.2.w", "binary of 65535 bytes in 4096-byte writes",
                [.binary(Payloads.binary(65535))], .replies([.message(.binary, Payloads.binary(65535))]), chop: 4096),
        ]

    /// Headers that break a rule on their own: the endpoint should fail the connection as soon as the header
    /// is in, before the payload (which follows only when it did not).
    static let badHeaders: [ConformanceCase] = [
        ConformanceCase(
            "2.w", "ping announcing 126 bytes, failed at its header", [.ping(Payloads.binary(126))],
            .failure(.protocolError, after: []), cut: .insideFrame(0, payloadBytes: 0)),
        ConformanceCase(
            "5.w", "ping without FIN, failed at its header", [.ping(Payloads.binary(4), fin: false)],
            .failure(.protocolError, after: []), cut: .insideFrame(0, payloadBytes: 0)),
        ConformanceCase(
            "4.1.w", "opcode 3 announcing 1000 bytes, failed at its header",
            [FrameSpec(opcode: Opcode(lowBitsOf: 3), payload: Payloads.binary(1000))],
            .failure(.protocolError, after: []), cut: .insideFrame(0, payloadBytes: 0)),
        ConformanceCase(
            "3.w", "text with RSV1 announcing 1000 bytes, failed at its header",
            [FrameSpec(reservedBits: .rsv1, payload: Payloads.ascii(1000))],
            .failure(.protocolError, after: []), cut: .insideFrame(0, payloadBytes: 0)),
        ConformanceCase(
            "1.w", "text with a 64-bit length whose top bit is set",
            [FrameSpec(lengthEncoding: .bits64, declaredLength: 1 << 63)], .failure(.protocolError, after: []),
            tolerated: .failure(.messageTooBig, after: [])),
        ConformanceCase(
            "1.w", "text of 5 bytes with a 64-bit length (not minimal)",
            [FrameSpec(lengthEncoding: .bits64, payload: Array("hello".utf8))], .failure(.protocolError, after: []),
            tolerated: .replies([.text("hello")])),
        ConformanceCase(
            "1.w", "text of 100 bytes with a 16-bit length (not minimal)",
            [FrameSpec(lengthEncoding: .bits16, payload: Payloads.ascii(100))], .failure(.protocolError, after: []),
            tolerated: .replies([.message(.text, Payloads.ascii(100))])),
        ConformanceCase(
            "1.w", "a frame masked the wrong way (a client's unmasked, a server's masked)",
            [.text(Array("hello".utf8))], .failure(.protocolError, after: []), masking: .wrongWay),
    ]
}
