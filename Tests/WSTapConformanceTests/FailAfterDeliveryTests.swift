import NIOCore
import Testing
import WSTapCompression
import WSTapCore

/// Fail fast, but not before what came first (Autobahn's strict behaviour in 3.2-3.4, 4.1.3-4.1.5,
/// 4.2.3-4.2.5, 5.15 and alike): when valid messages and a violation arrive in one write, every message
/// before the violation is delivered and echoed, then the connection fails with the violation's code.
/// (Every `.failure` case of the other tables checks this too.)
@Suite struct FailAfterDeliveryTests {
    static let messages: [FrameSpec] = [
        .text("one"), .binary([2, 2]), .text(Array("thr".utf8), fin: false), .continuation("ee"),
    ]
    static let echoes: [Reply] = [.text("one"), .message(.binary, [2, 2]), .text("three")]

    static let cases: [WireCase] = [
        WireCase(
            "3.2", "messages, then RSV2 on a text frame", messages + [FrameSpec(reservedBits: .rsv2, payload: [65])],
            .failure(.protocolError, after: echoes)),
        WireCase(
            "4.1.3", "messages, then reserved opcode 3", messages + [FrameSpec(opcode: Opcode(lowBitsOf: 3))],
            .failure(.protocolError, after: echoes)),
        WireCase(
            "4.2.3", "messages and a ping, then reserved opcode 11",
            messages + [.ping("p"), FrameSpec(opcode: Opcode(lowBitsOf: 11))],
            .failure(.protocolError, after: echoes + [.pong(Array("p".utf8))])),
        WireCase(
            "5.15", "messages, then a continuation with no message open", messages + [.continuation("stray")],
            .failure(.protocolError, after: echoes)),
        WireCase(
            "6.x", "messages, then text that is not UTF-8", messages + [.text([0x61, 0xC3, 0x28])],
            .failure(.invalidPayloadData, after: echoes)),
        WireCase(
            "9.x", "messages, then one too big", messages + [.binary(Array(repeating: 7, count: 100))],
            .failure(.messageTooBig, after: echoes)),
    ]

    @Test(arguments: Side.allCases, cases)
    func messagesBeforeAViolationAreEchoedFirst(side: Side, wireCase: WireCase) async throws {
        try await ConformanceRunner.run(wireCase, on: side, maxMessageSize: 64)
    }

    /// The same with permessage-deflate: a compressed message and a reserved opcode in one write; the
    /// message is inflated, delivered and echoed (compressed) before the close frame.
    @Test(arguments: Side.allCases)
    func aCompressedMessageBeforeAViolationIsEchoedFirst(side: Side) async throws {
        let session = try await ConformanceSession.open(
            side, deflate: DeflateNegotiation(offer: .init(), response: .init()))
        let agreed = try #require(session.compression)
        let compressor = try PerMessageDeflateCompressor(agreed: agreed, sender: side.peerRole)
        let decompressor = try PerMessageDeflateDecompressor(
            agreed: agreed, sender: side.endpointRole, maxMessageSize: 1 << 20)
        let payload = Array(String(repeating: "compressed ", count: 50).utf8)
        let compressed = Array(try compressor.compress(ByteBuffer(bytes: payload)).readableBytesView)
        await session.peer.send([
            FrameSpec(reservedBits: .rsv1, opcode: .text, payload: compressed), FrameSpec(opcode: Opcode(lowBitsOf: 4)),
        ])
        guard case .frame(let frame) = await session.peer.nextFrame(timeout: .seconds(20)) else {
            Issue.record("\(side): no echo")
            await session.finish()
            return
        }
        #expect(
            frame.header.opcode == .text, "\(side): \(frame.header.opcode.name) \(String(describing: frame.closeBody))")
        #expect(frame.header.reservedBits == .rsv1)
        let echo = try decompressor.decompress(frame.payload)
        #expect(Array(echo.readableBytesView) == payload)
        let transcript = await session.read()
        await ConformanceRunner.expectFailure(session, transcript, code: .protocolError)
        #expect(transcript.replies.isEmpty, "\(transcript.replies)")
        await session.finish()
    }
}
