import NIOCore
import Testing
import WSTapConformance
import WSTapCore
import WSTapNetwork

/// The engine's options for our own endpoints: every wait long enough for a loaded machine (they guard against
/// hangs only: our endpoints fail fast and end TCP at once), and the end of TCP after a failure watched.
let strictOptions = CaseEngine.Options(timeout: .seconds(60), failFastWait: .seconds(60), awaitsEndAfterFailure: true)

extension ConformanceSession {
    /// Reads frames until `count` replies came, a close frame came (and, unless `stopAtClose`, TCP ended after
    /// it), TCP ended, or nothing came for `timeout` (a deadline for a hung endpoint: no test expects it to
    /// pass, and a loaded machine must not reach it: 60 s, six times the 10 s grace the sessions give the
    /// application, since a 20 s deadline was once reached while the whole suite ran on a loaded machine).
    func read(
        replies count: Int = .max, stopAtClose: Bool = false, timeout: Duration = .seconds(60)
    ) async -> Observation {
        var reader = ReplyReader(peer: peer)
        var ending = await reader.read(until: count == .max ? .close : .replies(count), timeout: timeout)
        if ending == .stoppedAtClose, !stopAtClose { ending = await reader.readToEnd(timeout: timeout) }
        reader.observation.ending = ending
        return reader.observation
    }

    /// Starts the closing handshake from the raw peer with 1000 and checks that it ends cleanly: our
    /// endpoint echoes 1000, and the server (ours, or the raw one once it has the reply) ends TCP.
    func closeCleanly(sourceLocation: SourceLocation = #_sourceLocation) async {
        await peer.send(.close(code: .normalClosure))
        let transcript = await read(stopAtClose: side == .client)
        #expect(transcript.problems.isEmpty, "\(transcript.problems)", sourceLocation: sourceLocation)
        #expect(
            transcript.replies.isEmpty, "replies after the case: \(transcript.replies)", sourceLocation: sourceLocation)
        #expect(transcript.close?.code == .normalClosure, sourceLocation: sourceLocation)
        await expectEndOfClosingHandshake(transcript, sourceLocation: sourceLocation)
        let outcome = await endpointOutcome()
        #expect(outcome.wasClean, "\(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.initiator == side.peerRole, sourceLocation: sourceLocation)
        #expect(outcome.receivedCode == .normalClosure, sourceLocation: sourceLocation)
        #expect(outcome.failure == nil, sourceLocation: sourceLocation)
    }

    /// After our endpoint answered a close: our server must have ended TCP; against our client the raw
    /// server ends it.
    func expectEndOfClosingHandshake(
        _ transcript: Observation, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        switch side {
        case .server:
            #expect(transcript.ending == .endOfStream, "our server must end TCP", sourceLocation: sourceLocation)
        case .client:
            #expect(transcript.ending == .stoppedAtClose, sourceLocation: sourceLocation)
            await peer.closeTransport()
        }
    }
}

/// Runs the library's conformance cases against one of our endpoints: the engine's verdict must be OK, and on
/// top of it the checks only our own endpoints allow (exact close codes, no fragmented echoes, how the
/// connection ended for the endpoint and what it handed its user).
enum OwnEndpointRunner {
    /// Opens a connection to `side`, runs the case through the engine and checks the result.
    static func run(
        _ testCase: ConformanceCase, on side: Side, maxMessageSize: Int = 64 << 20,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let session = try await ConformanceSession.open(side, maxMessageSize: maxMessageSize)
        let result = await CaseEngine.run(testCase, on: session.peer, options: strictOptions)
        #expect(
            result.judgement == .ok, "\(result.judgement.rawValue): \(result.detail); received: \(result.received)",
            sourceLocation: sourceLocation)
        let observation = result.observation
        #expect(observation.problems.isEmpty, "\(observation.problems)", sourceLocation: sourceLocation)
        #expect(
            observation.fragmentedMessages == 0, "our \(side.rawValue) fragmented an echo",
            sourceLocation: sourceLocation)
        #expect(observation.pings == 0, "our \(side.rawValue) sent pings", sourceLocation: sourceLocation)
        switch testCase.expectation {
        case .replies(let expected):
            #expect(observation.close?.code == .normalClosure, sourceLocation: sourceLocation)
            #expect(
                observation.ending == (side == .server ? .endOfStream : .stoppedAtClose), sourceLocation: sourceLocation
            )
            let outcome = await session.endpointOutcome()
            #expect(outcome.wasClean, "\(outcome)", sourceLocation: sourceLocation)
            #expect(outcome.initiator == side.peerRole, sourceLocation: sourceLocation)
            #expect(outcome.receivedCode == .normalClosure, sourceLocation: sourceLocation)
            #expect(outcome.failure == nil, sourceLocation: sourceLocation)
            #expect(
                await session.deliveredMessages() == expected.filter(\.isMessage), sourceLocation: sourceLocation)
        case .closeReply(let code, let expected):
            #expect(observation.close != nil, "no close frame in reply", sourceLocation: sourceLocation)
            #expect(observation.close?.code == code, sourceLocation: sourceLocation)
            #expect(
                observation.ending == (side == .server ? .endOfStream : .stoppedAtClose), sourceLocation: sourceLocation
            )
            let outcome = await session.endpointOutcome()
            #expect(outcome.wasClean, "\(outcome)", sourceLocation: sourceLocation)
            #expect(outcome.failure == nil, sourceLocation: sourceLocation)
            #expect(outcome.sentCode == code, sourceLocation: sourceLocation)
            #expect(
                await session.deliveredMessages() == expected.filter(\.isMessage), sourceLocation: sourceLocation)
        case .failure(let code, let expected):
            if testCase.cut != nil {
                #expect(observation.failedBeforeTheRest == true, "not fail-fast", sourceLocation: sourceLocation)
            }
            await expectFailure(session, observation, code: code, sourceLocation: sourceLocation)
            #expect(
                await session.deliveredMessages() == expected.filter(\.isMessage), sourceLocation: sourceLocation)
        }
        await session.finish()
    }

    /// Checks that our endpoint failed the connection with `code`: a close frame, then the end of TCP,
    /// and an outcome that says so.
    static func expectFailure(
        _ session: ConformanceSession, _ transcript: Observation, code: CloseCode,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        #expect(transcript.close != nil, "no close frame", sourceLocation: sourceLocation)
        #expect(transcript.close?.code == code, sourceLocation: sourceLocation)
        #expect(transcript.ending == .endOfStream, "TCP must end after a failure", sourceLocation: sourceLocation)
        let outcome = await session.endpointOutcome()
        #expect(!outcome.wasClean, "\(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.failure != nil, sourceLocation: sourceLocation)
        #expect(outcome.sentCode == code, sourceLocation: sourceLocation)
        #expect(outcome.initiator == session.side.endpointRole, sourceLocation: sourceLocation)
    }

    /// Compares replies exactly: pongs and echoed messages, in order; and no problem in the frames.
    static func check(
        _ transcript: Observation, against expected: [Reply], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(transcript.problems.isEmpty, "\(transcript.problems)", sourceLocation: sourceLocation)
        #expect(transcript.pongs == expected.filter { !$0.isMessage }, sourceLocation: sourceLocation)
        #expect(transcript.messages == expected.filter(\.isMessage), sourceLocation: sourceLocation)
    }
}
