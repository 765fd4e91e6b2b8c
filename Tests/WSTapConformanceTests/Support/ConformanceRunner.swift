import NIOCore
import Testing
import WSTapCore
import WSTapNetwork

/// What the raw peer read from the endpoint until its close frame or the end of TCP.
struct Transcript: Sendable {
    /// Echoed messages and pongs, in the order they arrived.
    var replies: [Reply] = []
    /// The close frame's body, if one came.
    var close: CloseBody?
    /// How reading stopped after the close frame (or instead of it).
    var ending: Ending = .timedOut
    /// Frames that should not have been sent (pings, fragments, frames after the close), and rule
    /// violations in any frame (masking, framing).
    var problems: [String] = []

    enum Ending: Sendable, Equatable {
        /// TCP ended.
        case endOfStream
        /// Nothing more came in the time allowed.
        case timedOut
        /// Reading stopped at the close frame, as asked.
        case stoppedAtClose
    }

    var messages: [Reply] { replies.filter(\.isMessage) }
    var pongs: [Reply] { replies.filter { !$0.isMessage } }
}

extension ConformanceSession {
    /// Reads frames until `count` replies came, a close frame came (and, unless `stopAtClose`, TCP
    /// ended after it), TCP ended, or nothing came for `timeout` (a deadline for a hung endpoint: no test
    /// expects it to pass, and a loaded machine must not reach it: 60 s, six times the 10 s grace the sessions
    /// give the application, since a 20 s deadline was once reached while the whole suite ran on a loaded
    /// machine).
    func read(
        replies count: Int = .max, stopAtClose: Bool = false, timeout: Duration = .seconds(60)
    ) async -> Transcript {
        var transcript = Transcript()
        while transcript.close != nil || transcript.replies.count < count {
            switch await peer.nextFrame(timeout: timeout) {
            case .timedOut:
                transcript.ending = .timedOut
                return transcript
            case .endOfStream:
                transcript.ending = .endOfStream
                return transcript
            case .frame(let frame):
                let name = frame.header.opcode.name
                for violation in frame.violations {
                    transcript.problems.append("\(name) frame from our \(side.rawValue): \(violation)")
                }
                if transcript.close != nil {
                    transcript.problems.append("\(name) frame after the close frame")
                    continue
                }
                switch frame.header.opcode {
                case .text, .binary:
                    if !frame.header.fin { transcript.problems.append("our \(side.rawValue) fragmented an echo") }
                    transcript.replies.append(.message(frame.header.opcode, Array(frame.payload.readableBytesView)))
                case .pong:
                    transcript.replies.append(.pong(Array(frame.payload.readableBytesView)))
                case .close:
                    transcript.close = frame.closeBody ?? CloseBody(code: nil)
                    if stopAtClose {
                        transcript.ending = .stoppedAtClose
                        return transcript
                    }
                default:
                    transcript.problems.append("unexpected \(name) frame (fin \(frame.header.fin))")
                }
            }
        }
        return transcript
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
        _ transcript: Transcript, sourceLocation: SourceLocation = #_sourceLocation
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

/// Runs table cases against one of our endpoints.
enum ConformanceRunner {
    /// Frames sent after a violation: our endpoint must neither echo nor answer them.
    static let afterViolation: [FrameSpec] = [.text("must not be echoed"), .ping("must not be answered")]

    /// Opens a connection to `side`, sends the case's frames and checks the expectation.
    static func run(
        _ wireCase: WireCase, on side: Side, maxMessageSize: Int = 64 << 20,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let session = try await ConformanceSession.open(side, maxMessageSize: maxMessageSize)
        switch wireCase.expectation {
        case .replies(let expected):
            await session.peer.send(wireCase.frames, chop: wireCase.chop)
            let transcript = await session.read(replies: expected.count)
            check(transcript, against: expected, strictMessages: true, sourceLocation: sourceLocation)
            #expect(transcript.close == nil, "closed: \(String(describing: transcript.close))")
            await session.closeCleanly(sourceLocation: sourceLocation)
            #expect(
                await session.deliveredMessages() == expected.filter(\.isMessage), sourceLocation: sourceLocation)
        case .closeReply(let code, let expected):
            await session.peer.send(wireCase.frames, chop: wireCase.chop)
            let transcript = await session.read(stopAtClose: side == .client)
            check(transcript, against: expected, strictMessages: true, sourceLocation: sourceLocation)
            #expect(transcript.close != nil, "no close frame in reply", sourceLocation: sourceLocation)
            #expect(transcript.close?.code == code, sourceLocation: sourceLocation)
            await session.expectEndOfClosingHandshake(transcript, sourceLocation: sourceLocation)
            let outcome = await session.endpointOutcome()
            #expect(outcome.wasClean, "\(outcome)", sourceLocation: sourceLocation)
            #expect(outcome.failure == nil, sourceLocation: sourceLocation)
            #expect(outcome.sentCode == code, sourceLocation: sourceLocation)
            #expect(
                await session.deliveredMessages() == expected.filter(\.isMessage), sourceLocation: sourceLocation)
        case .failure(let code, let expected):
            await session.peer.send(wireCase.frames + afterViolation, chop: wireCase.chop)
            let transcript = await session.read()
            check(transcript, against: expected, strictMessages: true, sourceLocation: sourceLocation)
            await expectFailure(session, transcript, code: code, sourceLocation: sourceLocation)
            #expect(
                await session.deliveredMessages() == expected.filter(\.isMessage), sourceLocation: sourceLocation)
        }
        await session.finish()
    }

    /// Checks that our endpoint failed the connection with `code`: a close frame, then the end of TCP,
    /// and an outcome that says so.
    static func expectFailure(
        _ session: ConformanceSession, _ transcript: Transcript, code: CloseCode,
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

    /// Compares replies: pongs exactly and in order; echoed messages exactly, or (not strict) as a
    /// prefix of the expected ones.
    static func check(
        _ transcript: Transcript, against expected: [Reply], strictMessages: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(transcript.problems.isEmpty, "\(transcript.problems)", sourceLocation: sourceLocation)
        #expect(transcript.pongs == expected.filter { !$0.isMessage }, sourceLocation: sourceLocation)
        let messages = expected.filter(\.isMessage)
        if strictMessages {
            #expect(transcript.messages == messages, sourceLocation: sourceLocation)
        } else {
            #expect(
                messages.starts(with: transcript.messages), "echoes \(transcript.messages), expected \(messages)",
                sourceLocation: sourceLocation)
        }
    }
}
