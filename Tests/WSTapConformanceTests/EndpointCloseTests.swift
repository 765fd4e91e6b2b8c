import Testing
import WSTapConformance
import WSTapCore
import WSTapNetwork

/// How our endpoints close on their own initiative, and what they report when TCP just ends.
@Suite struct EndpointCloseTests {
    /// A reason over 123 bytes is cut on a character boundary so that the close frame stays within 125
    /// bytes; a code that may not be sent (1005, 1006, 1015, below 1000, 1004, unassigned, above 4999) is
    /// refused before anything is sent, and the connection stays open.
    @Test(arguments: Side.allCases)
    func longReasonsAreCutAndCodesNotForTheWireAreRefused(side: Side) async throws {
        let session = try await ConformanceSession.open(side)
        for code: UInt16 in [1005, 1006, 1015, 999, 0, 1004, 1016, 2999, 5000, 65535] {
            await #expect(throws: ConnectionError.closeCodeNotAllowed(CloseCode(code))) {
                try await session.close(code: CloseCode(code), reason: "not sent")
            }
        }
        #expect(!session.connection.isClosed)
        async let closing = session.close(code: .normalClosure, reason: String(repeating: "é", count: 100))
        let first = await session.read(stopAtClose: true)
        #expect(first.problems.isEmpty, "\(first.problems)")
        #expect(first.replies.isEmpty, "\(first.replies)")
        #expect(first.close?.code == .normalClosure)
        #expect(first.close?.reason == String(repeating: "é", count: 61))
        await session.peer.send(.close(code: .normalClosure))
        if side == .client { await session.peer.closeTransport() }
        #expect(try await closing.wasClean)
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
