import NIOCore
import Testing
import WSTapConformance
import WSTapCore

/// Autobahn 2.x: pings are answered at once with a pong carrying the same payload, pongs nobody asked
/// for are ignored, and a ping that breaks the control-frame rules fails the connection with 1002.
@Suite struct PingPongTests {
    @Test(arguments: Side.allCases, ConformanceCatalog.pingPong)
    func answersPings(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }

    /// Pings reach the user as events once answered.
    @Test(arguments: Side.allCases)
    func pingsAreReported(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        await session.peer.send(.ping("seen"))
        let transcript = await session.read(replies: 1)
        #expect(transcript.replies == [.pong("seen")])
        await session.closeCleanly()
        let pings = await session.deliveredEvents().compactMap { event -> [UInt8]? in
            guard case .ping(let payload) = event else { return nil }
            return Array(payload.readableBytesView)
        }
        #expect(pings == [Array("seen".utf8)])
        await session.finish()
    }
}
