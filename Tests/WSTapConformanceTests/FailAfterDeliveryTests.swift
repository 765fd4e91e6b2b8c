import NIOCore
import Testing
import WSTapCompression
import WSTapConformance
import WSTapCore

/// Fail fast, but not before what came first (Autobahn's strict behaviour in 3.2-3.4, 4.1.3-4.1.5,
/// 4.2.3-4.2.5, 5.15 and alike): when valid messages and a violation arrive in one write, every message
/// before the violation is delivered and echoed, then the connection fails with the violation's code.
/// (Every `.failure` case of the other tables checks this too; LimitsTests has the message that is too big.)
@Suite struct FailAfterDeliveryTests {
    @Test(arguments: Side.allCases, ConformanceCatalog.violationsAfterMessages)
    func messagesBeforeAViolationAreEchoedFirst(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
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
        await OwnEndpointRunner.expectFailure(session, transcript, code: .protocolError)
        #expect(transcript.replies.isEmpty, "\(transcript.replies)")
        await session.finish()
    }
}
