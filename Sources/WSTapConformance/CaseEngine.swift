public import WSTapCore

/// Runs one conformance case over a raw peer that has completed the opening handshake, and judges what came
/// back.
public enum CaseEngine {
    /// How long the engine waits, and how strictly it watches the end of a connection.
    public struct Options: Sendable {
        /// The longest wait for any one thing (a reply, a close frame, the end of TCP).
        public var timeout: Duration
        /// How long the endpoint has to fail once the bytes up to a case's cut are in, before the rest is sent.
        public var failFastWait: Duration
        /// Whether, after the endpoint failed the connection, the raw peer waits for it to end TCP (and does not
        /// answer its close frame) instead of answering and ending TCP itself. For endpoints known to end it
        /// at once: a peer that waits for the answer would cost a time-out each.
        public var awaitsEndAfterFailure: Bool
        /// Inflates compressed messages, on a connection that agreed to permessage-deflate.
        public var inflater: MessageInflater?

        /// Options with these waits.
        public init(
            timeout: Duration = .seconds(10), failFastWait: Duration = .seconds(1), awaitsEndAfterFailure: Bool = false
        ) {
            self.timeout = timeout
            self.failFastWait = failFastWait
            self.awaitsEndAfterFailure = awaitsEndAfterFailure
        }
    }

    /// Frames sent after a violation: the endpoint must neither echo nor answer them.
    public static let afterViolation: [FrameSpec] = [.text("must not be echoed"), .ping("must not be answered")]
    static let afterViolationReplies: Set<Reply> = [.text("must not be echoed"), .pong("must not be answered")]

    /// Sends the case's frames over `peer`, reads what comes back, and judges it. The connection is over
    /// afterwards (closed by the endpoint, or by the raw peer).
    public static func run(
        _ testCase: ConformanceCase, on peer: RawPeer, options: Options = Options()
    ) async -> CaseResult {
        let started = ContinuousClock.now
        var reader = ReplyReader(peer: peer, inflater: options.inflater)
        let findings: [Finding]
        do {
            let (bytes, starts) = try await peer.encodeFrames(testCase.frames, masking: testCase.masking)
            switch testCase.expectation {
            case .replies(let expected):
                findings = await runReplies(testCase, bytes, expected, &reader, options)
            case .closeReply(let code, let expected):
                findings = await runCloseReply(testCase, bytes, code, expected, &reader, options)
            case .failure(let code, let expected):
                let cut = testCase.cut.map { offset(of: $0, in: testCase.frames, bytes: bytes, starts: starts) }
                findings = await runFailure(testCase, bytes, cut: cut, code, expected, &reader, options)
            }
        } catch {
            findings = [Finding(.failed, "wstap could not encode the case's frames: \(error)")]
        }
        await peer.closeTransport()
        let judgement = findings.map(\.verdict).max() ?? .ok
        var detail = findings.map(\.text).joined(separator: "; ")
        if testCase.informational {
            detail =
                "the RFC leaves this open; by the expectation: \(judgement.rawValue)"
                + (detail.isEmpty ? "" : ": \(detail)")
        }
        return CaseResult(
            id: testCase.id, name: testCase.name, verdict: testCase.informational ? .informational : judgement,
            judgement: judgement, detail: detail, sent: describeSent(testCase),
            expected: testCase.expectation.description, received: reader.observation.description,
            duration: ContinuousClock.now - started, observation: reader.observation)
    }

    /// One thing that went differently from the expectation, and what it makes of the case.
    struct Finding {
        var verdict: Verdict
        var text: String

        init(_ verdict: Verdict, _ text: String) {
            self.verdict = verdict
            self.text = text
        }
    }

    // MARK: The three kinds of expectation

    private static func runReplies(
        _ testCase: ConformanceCase, _ bytes: [UInt8], _ expected: [Reply], _ reader: inout ReplyReader,
        _ options: Options
    ) async -> [Finding] {
        await reader.peer.write(bytes, chop: testCase.chop)
        let ending = await reader.read(until: .replies(expected.count), timeout: options.timeout)
        reader.observation.ending = ending
        var findings = compare(reader.observation.replies, expected, strictCount: true)
        if let close = reader.observation.close {
            findings.append(Finding(.failed, "the endpoint closed the connection (\(describe(close)))"))
            await finishAfterClose(&reader, failed: true, options)
            return findings
        }
        if ending != .open {
            findings.append(
                Finding(
                    .failed,
                    ending == .timedOut ? "nothing more came within \(options.timeout)" : "the endpoint ended TCP"))
            return findings + problems(reader.observation)
        }
        // The connection stays open: the raw peer closes it with 1000.
        await reader.peer.send(.close(code: .normalClosure))
        let closing = await reader.read(until: .close, timeout: options.timeout)
        findings += compare(Array(reader.observation.replies.dropFirst(expected.count)), [], strictCount: true)
            .map { Finding($0.verdict, "after our close: \($0.text)") }
        guard let close = reader.observation.close else {
            reader.observation.ending = closing
            findings.append(
                Finding(
                    .failed,
                    "no close frame answered ours (\(closing == .timedOut ? "nothing within \(options.timeout)" : "TCP ended"))"
                ))
            return findings + problems(reader.observation)
        }
        if close.code != nil, close.code != .normalClosure {
            findings.append(Finding(.nonStrict, "answered our close 1000 with \(describe(close))"))
        }
        findings += await finishClosingHandshake(&reader, options)
        return findings + problems(reader.observation)
    }

    private static func runCloseReply(
        _ testCase: ConformanceCase, _ bytes: [UInt8], _ code: CloseCode?, _ expected: [Reply],
        _ reader: inout ReplyReader, _ options: Options
    ) async -> [Finding] {
        await reader.peer.write(bytes, chop: testCase.chop)
        let ending = await reader.read(until: .close, timeout: options.timeout)
        reader.observation.ending = ending
        var findings = compare(reader.observation.replies, expected, strictCount: true)
        guard let close = reader.observation.close else {
            findings.append(
                Finding(
                    .failed,
                    "no close frame answered ours (\(ending == .timedOut ? "nothing within \(options.timeout)" : "TCP ended"))"
                ))
            return findings + problems(reader.observation)
        }
        // Autobahn accepts the code echoed, 1000, or an empty close body.
        if close.code != code, close.code != .normalClosure, close.code != nil {
            let wanted = code.map { "\($0.rawValue)" } ?? "no code"
            findings.append(Finding(.failed, "answered with \(describe(close)), expected \(wanted) (or 1000)"))
        }
        findings += await finishClosingHandshake(&reader, options)
        return findings + problems(reader.observation)
    }

    private static func runFailure(
        _ testCase: ConformanceCase, _ bytes: [UInt8], cut: Int?, _ code: CloseCode, _ expected: [Reply],
        _ reader: inout ReplyReader, _ options: Options
    ) async -> [Finding] {
        let after = await reader.peer.encode(afterViolation)
        var ending: Observation.Ending
        if let cut {
            ending = await sendUpToCut(testCase, bytes, cut: cut, &reader, options)
            let failedFast = reader.observation.close != nil || ending == .endOfStream
            reader.observation.failedBeforeTheRest = failedFast
            if !failedFast {
                await reader.peer.write(Array(bytes[cut...]) + after)
                ending = await readAfterViolation(&reader, options)
            }
        } else {
            await reader.peer.write(bytes + after, chop: testCase.chop)
            ending = await readAfterViolation(&reader, options)
        }
        reader.observation.ending = ending
        let replies = reader.observation.replies
        let answeredAfter = replies.filter { afterViolationReplies.contains($0) }
        let before = replies.filter { !afterViolationReplies.contains($0) }
        var findings: [Finding] = []
        let failed = reader.observation.close != nil || ending == .endOfStream
        if !failed {
            if case .replies(let tolerated) = testCase.tolerated, compare(before, tolerated, strictCount: true).isEmpty
            {
                return [Finding(.nonStrict, "did not fail the connection: it took the frame (\(testCase.name))")]
                    + problems(reader.observation)
            }
            let why =
                ending == .timedOut
                ? "no close frame within \(options.timeout)" : "it answered the frames sent after the violation"
            findings.append(Finding(.failed, "did not fail the connection (\(why))"))
        } else if !answeredAfter.isEmpty {
            findings.append(
                Finding(.failed, "answered frames sent after the violation: \(Expectation.describe(answeredAfter))"))
        }
        findings += compare(before, expected, strictCount: false)
        if failed {
            if let close = reader.observation.close {
                if close.code != code {
                    if case .failure(let tolerated, _) = testCase.tolerated, close.code == tolerated {
                        findings.append(
                            Finding(.nonStrict, "failed with \(describe(close)), expected \(code.rawValue)"))
                    } else {
                        findings.append(Finding(.failed, "failed with \(describe(close)), expected \(code.rawValue)"))
                    }
                }
                await finishAfterClose(&reader, failed: true, options)
            } else {
                findings.append(
                    Finding(.nonStrict, "ended TCP without a close frame (expected close \(code.rawValue))"))
            }
            if reader.observation.failedBeforeTheRest == false {
                findings.append(
                    Finding(.nonStrict, "failed only once the rest was sent, not as soon as the violation was in"))
            }
        }
        return findings + problems(reader.observation)
    }

    /// The ping sent after the bytes up to a cut between frames: a pong means the endpoint read them and did not
    /// fail.
    static let probe = Array("fail-fast probe".utf8)

    /// Writes the bytes up to `cut` and finds out whether the endpoint failed on them. Between two frames a ping
    /// follows them: an endpoint that has not failed answers it, so no wait is timed. Inside a frame nothing can
    /// follow, so the endpoint gets ``Options/failFastWait`` to fail.
    private static func sendUpToCut(
        _ testCase: ConformanceCase, _ bytes: [UInt8], cut: Int, _ reader: inout ReplyReader, _ options: Options
    ) async -> Observation.Ending {
        if case .beforeFrame = testCase.cut {
            await reader.peer.write(
                Array(bytes[..<cut]) + (await reader.peer.encode([.ping(probe)])), chop: testCase.chop)
            let ending = await reader.read(until: .pong(probe), timeout: options.timeout)
            if let last = reader.observation.replies.last, last == .pong(probe) {
                reader.observation.replies.removeLast()
            }
            return ending
        }
        await reader.peer.write(Array(bytes[..<cut]), chop: testCase.chop)
        return await reader.read(until: .close, timeout: options.failFastWait)
    }

    /// Reads after the frames that follow a violation: until the close frame, the end of TCP, or (an endpoint
    /// that did not fail) the answers to those frames: the pong, and the echo, which may come after it.
    private static func readAfterViolation(_ reader: inout ReplyReader, _ options: Options) async -> Observation.Ending
    {
        let ending = await reader.read(until: .pong(Array("must not be answered".utf8)), timeout: options.timeout)
        guard ending == .open, !reader.observation.replies.contains(.text("must not be echoed")) else { return ending }
        let more = await reader.read(until: .message(Array("must not be echoed".utf8)), timeout: options.failFastWait)
        return more == .timedOut ? .open : more
    }

    // MARK: Ends of connections

    /// After the endpoint answered the raw peer's close: a server must end TCP (a raw client waits for it); a
    /// raw server ends TCP itself.
    private static func finishClosingHandshake(_ reader: inout ReplyReader, _ options: Options) async -> [Finding] {
        guard reader.peer.role == .client else {
            reader.observation.ending = .stoppedAtClose
            await reader.peer.closeTransport()
            return []
        }
        let ending = await reader.readToEnd(timeout: options.timeout)
        reader.observation.ending = ending
        return ending == .endOfStream
            ? []
            : [Finding(.nonStrict, "the server did not end TCP within \(options.timeout) of the closing handshake")]
    }

    /// After the endpoint sent a close frame of its own (failing the connection, or closing unasked): waits for
    /// the end of TCP, or answers and ends TCP, as the options say.
    private static func finishAfterClose(_ reader: inout ReplyReader, failed: Bool, _ options: Options) async {
        if options.awaitsEndAfterFailure {
            reader.observation.ending = await reader.readToEnd(timeout: options.timeout)
            return
        }
        let code = reader.observation.close?.code
        let answer: FrameSpec =
            code.map { FrameSpec.close(code: $0.isAllowedOnWire ? $0 : .protocolError) } ?? .close(body: [])
        await reader.peer.send(answer)
        await reader.peer.closeTransport()
        reader.observation.ending = .stoppedAtClose
    }

    // MARK: Comparing

    /// Compares replies: pongs exactly and in order; messages exactly, or (not `strictCount`) as a prefix of
    /// the expected ones, which is non-strict.
    static func compare(_ got: [Reply], _ expected: [Reply], strictCount: Bool) -> [Finding] {
        var findings: [Finding] = []
        let gotPongs = got.filter { !$0.isMessage }
        let expectedPongs = expected.filter { !$0.isMessage }
        if gotPongs != expectedPongs {
            if !strictCount, expectedPongs.starts(with: gotPongs) {
                findings.append(
                    Finding(
                        .nonStrict,
                        "answered \(gotPongs.count) of the \(expectedPongs.count) pings before the violation"))
            } else {
                findings.append(
                    Finding(
                        .failed,
                        "pongs: expected \(Expectation.describe(expectedPongs)), got \(Expectation.describe(gotPongs))")
                )
            }
        }
        let gotMessages = got.filter(\.isMessage)
        let expectedMessages = expected.filter(\.isMessage)
        if gotMessages != expectedMessages {
            if !strictCount, expectedMessages.starts(with: gotMessages) {
                findings.append(
                    Finding(
                        .nonStrict,
                        "echoed \(gotMessages.count) of the \(expectedMessages.count) messages sent before the violation"
                    ))
            } else {
                findings.append(
                    Finding(
                        .failed,
                        "messages: expected \(Expectation.describe(expectedMessages)), got \(Expectation.describe(gotMessages))"
                    ))
            }
        }
        return findings
    }

    private static func problems(_ observation: Observation) -> [Finding] {
        observation.problems.map { Finding(.failed, $0) }
    }

    static func describe(_ close: CloseBody) -> String {
        guard let code = close.code else { return "an empty close frame" }
        return "close \(code.rawValue)" + (close.reasonBytes.isEmpty ? "" : " \"\(close.reason)\"")
    }

    // MARK: Describing what was sent

    /// The byte offset of `cut` in the frames' wire bytes.
    static func offset(of cut: ConformanceCase.Cut, in frames: [FrameSpec], bytes: [UInt8], starts: [Int]) -> Int {
        switch cut {
        case .beforeFrame(let index):
            return index < starts.count ? starts[index] : bytes.count
        case .insideFrame(let index, let payloadBytes):
            guard index < starts.count else { return bytes.count }
            let end = index + 1 < starts.count ? starts[index + 1] : bytes.count
            let header = end - starts[index] - frames[index].payload.count
            return min(end, starts[index] + header + payloadBytes)
        }
    }

    /// "text "hello", ping "x" (2 frames, 16 bytes in 1-byte writes)".
    static func describeSent(_ testCase: ConformanceCase) -> String {
        let shown = testCase.frames.prefix(6).map(describe).joined(separator: ", ")
        let more = testCase.frames.count > 6 ? ", and \(testCase.frames.count - 6) more frames" : ""
        var notes: [String] = []
        if let chop = testCase.chop { notes.append("in \(chop)-byte writes") }
        if testCase.masking == .wrongWay { notes.append("masked the wrong way") }
        if let cut = testCase.cut {
            switch cut {
            case .beforeFrame(let index): notes.append("frame \(index + 1) only once the endpoint had not failed")
            case .insideFrame(let index, let bytes):
                notes.append(
                    "frame \(index + 1) stopped after \(bytes) payload bytes until the endpoint had not failed")
            }
        }
        if case .failure = testCase.expectation {
            notes.append("then text \"must not be echoed\" and ping \"must not be answered\"")
        }
        return shown + more + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
    }

    static func describe(_ frame: FrameSpec) -> String {
        var words = [frame.opcode.name]
        if !frame.fin { words.append("(not final)") }
        if !frame.reservedBits.isEmpty { words.append("RSV \(frame.reservedBits.rawValue >> 4)") }
        if let encoding = frame.lengthEncoding { words.append("\(encoding.bitCount)-bit length") }
        if let declared = frame.declaredLength { words.append("declaring \(declared) bytes") }
        if frame.opcode == .close, frame.payload.count >= 2 {
            words.append("\(UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]))")
            if frame.payload.count > 2 { words.append(BytesText.describe(Array(frame.payload.dropFirst(2)))) }
        } else {
            words.append(BytesText.describe(frame.payload))
        }
        return words.joined(separator: " ")
    }
}
