import Testing
import WSTapConformance
import WSTapCore

/// Autobahn 1.x: text and binary messages of every payload length class (7-bit, 16-bit and 64-bit
/// lengths and their edges) are echoed exactly, whether the bytes arrive at once or in small pieces; headers
/// that break a rule fail the connection at once, and so does a frame masked the wrong way (RFC 6455 5.1).
@Suite struct FramingTests {
    @Test(arguments: Side.allCases, ConformanceCatalog.framing)
    func framing(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }

    /// Frames that come in the same segment as the server's 101 response are not lost.
    @Test func framesRightAfterTheHandshakeResponseReachOurClient() async throws {
        let session = try await ConformanceSession.open(.client, earlyFrames: [.text("early"), .ping("early ping")])
        let transcript = await session.read(replies: 2)
        OwnEndpointRunner.check(transcript, against: [.text("early"), .pong("early ping")])
        await session.closeCleanly()
        #expect(await session.deliveredMessages() == [.text("early")])
        await session.finish()
    }
}
