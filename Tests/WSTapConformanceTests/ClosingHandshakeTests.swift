import Testing
import WSTapConformance
import WSTapCore

/// Autobahn 7.x: the closing handshake. A close frame is answered with one echoing its code (none for
/// an empty one), frames after it are ignored, a close frame that breaks the rules (a 1-byte body, a code
/// that may not be sent, a reason that is not UTF-8 or too long) fails the connection, and the server
/// ends TCP while the client waits for it to.
@Suite struct ClosingHandshakeTests {
    @Test(arguments: Side.allCases, ConformanceCatalog.closing)
    func closingHandshake(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }

    /// Our client answers the server's close and then waits for the server to end TCP; it does not end
    /// it first.
    @Test func clientWaitsForTheServerToEndTCP() async throws {
        let session = try await ConformanceSession.open(.client)
        await session.peer.send(.close(code: CloseCode(4000), reason: "going"))
        let reply = await session.read(stopAtClose: true)
        #expect(reply.close?.code == CloseCode(4000))
        #expect(await session.peer.nextFrame(timeout: .milliseconds(300)).isTimeOut, "our client ended TCP first")
        await session.peer.closeTransport()
        let outcome = await session.endpointOutcome()
        #expect(outcome.wasClean)
        #expect(outcome.initiator == .server)
        #expect(outcome.receivedCode == CloseCode(4000))
        #expect(outcome.receivedReason == "going")
        await session.finish()
    }

    /// When our endpoint starts the closing handshake, it sends its code, and after the peer's reply the
    /// server ends TCP (our server at once; our client waits for the raw server).
    @Test(arguments: Side.allCases)
    func endpointInitiatedClose(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        async let closing = session.close(code: CloseCode(3001), reason: "mine")
        let first = await session.read(stopAtClose: true)
        #expect(first.close?.code == CloseCode(3001))
        #expect(first.close?.reason == "mine")
        await session.peer.send(.close(code: CloseCode(3001)))
        if side == .server {
            #expect(await session.peer.nextFrame().isEndOfStream, "our server must end TCP after the handshake")
        } else {
            #expect(await session.peer.nextFrame(timeout: .milliseconds(300)).isTimeOut, "our client ended TCP first")
            await session.peer.closeTransport()
        }
        let outcome = try await closing
        #expect(outcome.wasClean)
        #expect(outcome.initiator == side.endpointRole)
        #expect(outcome.sentCode == CloseCode(3001))
        await session.finish()
    }

    /// A close frame and TCP ending right after it (no wait for the reply) still count as a clean close.
    @Test(arguments: Side.allCases)
    func peerEndingTCPRightAfterItsCloseIsClean(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        await session.peer.send(.close(code: .goingAway))
        await session.peer.closeTransport()
        let outcome = await session.endpointOutcome()
        #expect(outcome.wasClean)
        #expect(outcome.receivedCode == .goingAway)
        await session.finish()
    }
}
