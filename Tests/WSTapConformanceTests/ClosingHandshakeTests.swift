import Testing
import WSTapCore

/// Autobahn 7.x: the closing handshake. A close frame is answered with one echoing its code (none for
/// an empty one), frames after it are ignored, a close frame that breaks the rules (a 1-byte body, a code
/// that may not be sent, a reason that is not UTF-8 or too long) fails the connection, and the server
/// ends TCP while the client waits for it to.
@Suite struct ClosingHandshakeTests {
    static let validCodes: [UInt16] = [
        1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999,
    ]
    static let invalidCodes: [UInt16] = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]

    static let cases: [WireCase] =
        [
            WireCase(
                "7.1.1", "a message, then close", [.text("hello"), .close(code: .normalClosure)],
                .closeReply(.normalClosure, after: [.text("hello")])),
            WireCase(
                "7.1.2", "close twice", [.close(code: .normalClosure), .close(code: .normalClosure)],
                .closeReply(.normalClosure, after: [])),
            WireCase(
                "7.1.3", "close, then a ping", [.close(code: .normalClosure), .ping("late")],
                .closeReply(.normalClosure, after: [])),
            WireCase(
                "7.1.4", "close, then a message", [.close(code: .normalClosure), .text("late")],
                .closeReply(.normalClosure, after: [])),
            WireCase(
                "7.1.5", "a fragment, close, then the last fragment",
                [.text(Array("frag".utf8), fin: false), .close(code: .normalClosure), .continuation("mented")],
                .closeReply(.normalClosure, after: [])),
            WireCase(
                "7.1.6", "a ping, then close", [.ping("first"), .close(code: .normalClosure)],
                .closeReply(.normalClosure, after: [.pong(Array("first".utf8))])),
            WireCase("7.3.1", "close with no body", [.close(body: [])], .closeReply(nil, after: [])),
            WireCase("7.3.2", "close with a 1-byte body", [.close(body: [0x03])], .failure(.protocolError, after: [])),
            WireCase(
                "7.3.3", "close 1000 with no reason", [.close(code: .normalClosure)],
                .closeReply(.normalClosure, after: [])),
            WireCase(
                "7.3.4", "close 1000 with a reason", [.close(code: .normalClosure, reason: "done")],
                .closeReply(.normalClosure, after: [])),
            WireCase(
                "7.3.5", "close 1000 with a 123-byte reason",
                [.close(code: .normalClosure, reason: String(repeating: "r", count: 123))],
                .closeReply(.normalClosure, after: [])),
            WireCase(
                "7.3.6", "close 1000 with a 124-byte reason (a 126-byte control frame)",
                [.close(code: .normalClosure, reason: String(repeating: "r", count: 124))],
                .failure(.protocolError, after: [])),
            WireCase(
                "7.5.1", "close with a reason that is not UTF-8",
                [.close(body: [0x03, 0xE8] + Array("κόσμε".utf8) + [0xED, 0xA0, 0x80] + Array("edited".utf8))],
                .failure(.invalidPayloadData, after: [])),
            WireCase(
                "7.5.2", "close with a reason cut inside a character", [.close(body: [0x03, 0xE8, 0xCE])],
                .failure(.invalidPayloadData, after: [])),
            WireCase(
                "7.3.7", "close 1000 with a reason, in 1-byte writes", [.close(code: .normalClosure, reason: "slowly")],
                .closeReply(.normalClosure, after: []), chop: 1),
        ]
        + validCodes.map { code in
            WireCase(
                "7.7", "close with code \(code)", [.close(code: CloseCode(code), reason: "bye")],
                .closeReply(CloseCode(code), after: []))
        }
        + invalidCodes.map { code in
            WireCase(
                "7.9", "close with code \(code)", [.close(body: [UInt8(code >> 8), UInt8(code & 0xFF)])],
                .failure(.protocolError, after: []))
        }

    @Test(arguments: Side.allCases, cases)
    func closingHandshake(side: Side, wireCase: WireCase) async throws {
        try await ConformanceRunner.run(wireCase, on: side)
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
