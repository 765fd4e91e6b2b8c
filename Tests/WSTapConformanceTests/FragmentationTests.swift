import Testing
import WSTapConformance
import WSTapCore

/// Autobahn 5.x: fragmented messages are put back together (pings between fragments answered at once),
/// and every broken sequence of fragments fails the connection with 1002.
@Suite struct FragmentationTests {
    @Test(arguments: Side.allCases, ConformanceCatalog.fragmentation)
    func fragments(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }

    /// A ping between two fragments is answered before the message is complete, and the message still
    /// arrives whole.
    @Test(arguments: Side.allCases)
    func pingBetweenFragmentsIsAnsweredAtOnce(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        await session.peer.send([.text(Array("first half, ".utf8), fin: false), .ping("now")])
        let pong = await session.read(replies: 1)
        #expect(pong.replies == [.pong("now")])
        #expect(pong.problems.isEmpty, "\(pong.problems)")
        await session.peer.send(.continuation("second half"))
        let echo = await session.read(replies: 1)
        #expect(echo.replies == [.text("first half, second half")])
        await session.closeCleanly()
        await session.finish()
    }
}
