import Testing
import WSTapCore

/// How our endpoints close on their own initiative, and what they report when TCP just ends.
@Suite struct EndpointCloseTests {
    /// A reason over 123 bytes is cut on a character boundary so that the close frame stays within 125
    /// bytes; a code that may not be sent (1005) goes out as 1000.
    @Test(arguments: Side.allCases)
    func longReasonsAndReportOnlyCodesAreMadeSendable(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        async let closing = session.close(code: .noStatusReceived, reason: String(repeating: "é", count: 100))
        let first = await session.read(stopAtClose: true)
        #expect(first.problems.isEmpty, "\(first.problems)")
        #expect(first.close?.code == .normalClosure)
        #expect(first.close?.reason == String(repeating: "é", count: 61))
        await session.peer.send(.close(code: .normalClosure))
        if side == .client { await session.peer.closeTransport() }
        #expect(await closing.wasClean)
        await session.finish()
    }

    /// TCP ending with no close frame is not a clean close, and no code was received.
    @Test(arguments: Side.allCases)
    func tcpEndingWithoutCloseIsNotClean(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        await session.peer.send(.text("last words"))
        #expect(await session.read(replies: 1).replies == [.text("last words")])
        await session.peer.closeTransport()
        let outcome = await session.endpointOutcome()
        #expect(!outcome.wasClean)
        #expect(outcome.receivedCode == nil)
        #expect(outcome.failure != nil)
        #expect(await session.deliveredMessages() == [.text("last words")])
        await session.finish()
    }
}
