import Testing
import WSTapCore

/// Autobahn 1.x: text and binary messages of every payload length class (7-bit, 16-bit and 64-bit
/// lengths and their edges) are echoed exactly, whether the bytes arrive at once or in small pieces; and
/// RFC 6455 5.1: a frame masked the wrong way fails the connection.
@Suite struct FramingTests {
    /// The edges of the three length encodings, and 1 MiB.
    static let lengths = [0, 125, 126, 127, 65535, 65536, 1 << 20]

    static let cases: [WireCase] =
        lengths.map { length in
            let text = Payloads.ascii(length)
            return WireCase("1.1", "text of \(length) bytes", [.text(text)], .replies([.message(.text, text)]))
        }
        + lengths.map { length in
            let bytes = Payloads.binary(length)
            return WireCase("1.2", "binary of \(length) bytes", [.binary(bytes)], .replies([.message(.binary, bytes)]))
        }
        + [
            WireCase(
                "1.1.7", "text of 126 bytes in 1-byte writes", [.text(Payloads.ascii(126))],
                .replies([.message(.text, Payloads.ascii(126))]), chop: 1),
            WireCase(
                "1.1.8", "text of 300 bytes, three messages, in 1-byte writes",
                [.text(Payloads.ascii(300)), .text(Payloads.ascii(1)), .text(Payloads.ascii(0))],
                .replies([
                    .message(.text, Payloads.ascii(300)), .message(.text, Payloads.ascii(1)),
                    .message(.text, Payloads.ascii(0)),
                ]), chop: 1),
            WireCase(
                "1.2.8", "binary of 65536 bytes in 997-byte writes", [.binary(Payloads.binary(65536))],
                .replies([.message(.binary, Payloads.binary(65536))]), chop: 997),
            WireCase(
                "1.2.9", "binary of 65535 bytes in 4096-byte writes",
                [.binary(Payloads.binary(65535))], .replies([.message(.binary, Payloads.binary(65535))]), chop: 4096),
        ]

    @Test(arguments: Side.allCases, cases)
    func echoesEveryLength(side: Side, wireCase: WireCase) async throws {
        try await ConformanceRunner.run(wireCase, on: side)
    }

    /// Headers that break a rule on their own; only the header is sent (its payload never comes), and
    /// the connection must fail at once.
    static let badHeaders: [WireCase] = [
        WireCase(
            "2.5", "ping announcing 126 bytes", [FrameSpec(opcode: .ping, declaredLength: 126)],
            .failure(.protocolError, after: [])),
        WireCase(
            "5.1", "ping without FIN", [FrameSpec(fin: false, opcode: .ping, declaredLength: 4)],
            .failure(.protocolError, after: [])),
        WireCase(
            "4.1", "opcode 3", [FrameSpec(opcode: Opcode(lowBitsOf: 3), declaredLength: 1000)],
            .failure(.protocolError, after: [])),
        WireCase(
            "3.1", "text with RSV1", [FrameSpec(reservedBits: .rsv1, declaredLength: 1000)],
            .failure(.protocolError, after: [])),
        WireCase(
            "1.3", "text with a 64-bit length whose top bit is set",
            [FrameSpec(lengthEncoding: .bits64, declaredLength: 1 << 63)], .failure(.protocolError, after: [])),
        WireCase(
            "1.4", "text of 5 bytes with a 64-bit length (not minimal)",
            [FrameSpec(lengthEncoding: .bits64, declaredLength: 5)], .failure(.protocolError, after: [])),
        WireCase(
            "1.5", "text of 100 bytes with a 16-bit length (not minimal)",
            [FrameSpec(lengthEncoding: .bits16, declaredLength: 100)], .failure(.protocolError, after: [])),
    ]

    @Test(arguments: Side.allCases, badHeaders)
    func badHeaderFailsAtOnce(side: Side, wireCase: WireCase) async throws {
        let session = try await ConformanceSession.open(side)
        await session.peer.send(wireCase.frames)
        let transcript = await session.read()
        ConformanceRunner.check(transcript, against: [], strictMessages: true)
        if case .failure(let code, _) = wireCase.expectation {
            await ConformanceRunner.expectFailure(session, transcript, code: code)
        }
        await session.finish()
    }

    /// Frames that come in the same segment as the server's 101 response are not lost.
    @Test func framesRightAfterTheHandshakeResponseReachOurClient() async throws {
        let session = try await ConformanceSession.open(.client, earlyFrames: [.text("early"), .ping("early ping")])
        let transcript = await session.read(replies: 2)
        ConformanceRunner.check(
            transcript, against: [.text("early"), .pong(Array("early ping".utf8))], strictMessages: true)
        await session.closeCleanly()
        #expect(await session.deliveredMessages() == [.text("early")])
        await session.finish()
    }

    /// A client frame without a mask, or a server frame with one, fails the connection with 1002.
    @Test(arguments: Side.allCases)
    func wrongMaskingFailsTheConnection(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        // A raw client sends this as is (unmasked); a raw server sends it masked.
        let frame = FrameSpec(opcode: .text, mask: side == .server ? .none : .random, payload: Array("hello".utf8))
        await session.peer.write(await session.peer.encode([frame], asGiven: true))
        let transcript = await session.read()
        ConformanceRunner.check(transcript, against: [], strictMessages: true)
        await ConformanceRunner.expectFailure(session, transcript, code: .protocolError)
        #expect(await session.deliveredMessages().isEmpty)
        await session.finish()
    }
}
