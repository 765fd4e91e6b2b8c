import NIOCore
public import NIOSSL
public import WSTapCore
import WSTapNetwork

/// A run of conformance cases against a server: one connection per case, `jobs` at a time.
public struct ConformanceRun: Sendable {
    /// Why the server cannot be tested at all (the first connection failed).
    public struct TargetError: Error, CustomStringConvertible, Sendable {
        /// What went wrong, in one line.
        public var description: String
    }

    /// The server under test.
    public var target: WebSocketURL
    /// How many cases run at once.
    public var jobs: Int
    /// The engine's waits.
    public var engine: CaseEngine.Options
    /// Where each case's connection is recorded, if anywhere.
    public var transcripts: CaseTranscript.Options?
    /// The TLS context for a `wss://` target.
    public var tls: NIOSSLContext?

    /// A run against `target` (`tls` for `wss://`).
    public init(
        target: WebSocketURL, jobs: Int = 4, engine: CaseEngine.Options = CaseEngine.Options(),
        transcripts: CaseTranscript.Options? = nil, tls: NIOSSLContext? = nil
    ) {
        self.target = target
        self.jobs = max(1, jobs)
        self.engine = engine
        self.transcripts = transcripts
        self.tls = tls
    }

    /// The longest a case may take: each of its waits may run out once, and its writes must not outlast them
    /// (a server that stops reading without closing would hold them forever).
    public var caseDeadline: Duration { engine.timeout * 3 + engine.failFastWait }

    /// Opens one connection and closes it again, to tell "the server cannot be reached" (or does not speak
    /// WebSocket) apart from verdicts: a one-line error that says what and why.
    public func probe() async throws(TargetError) {
        do {
            let peer = try await connect()
            await peer.send(.close(code: .normalClosure))
            await peer.closeTransport()
        } catch {
            throw TargetError(description: "cannot test \(target): \(Self.describe(error))")
        }
    }

    /// Runs `cases`, `jobs` at a time, and returns their results in the cases' order. `progress` is called
    /// after each case with its result and how many are done.
    public func run(
        _ cases: [ConformanceCase], progress: @escaping @Sendable (CaseResult, Int) -> Void = { _, _ in }
    ) async -> [CaseResult] {
        await withTaskGroup(of: (Int, CaseResult).self) { group in
            var results: [CaseResult?] = Array(repeating: nil, count: cases.count)
            var next = 0
            var done = 0
            while next < min(jobs, cases.count) {
                let index = next
                group.addTask { (index, await self.runOne(cases[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                done += 1
                progress(result, done)
                if next < cases.count {
                    let index = next
                    group.addTask { (index, await self.runOne(cases[index])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }

    /// Runs one case on a connection of its own, within ``caseDeadline``.
    public func runOne(_ testCase: ConformanceCase) async -> CaseResult {
        let started = ContinuousClock.now
        if let opening = testCase.opening {
            return await OpeningRun.run(testCase, opening, in: self, since: started)
        }
        if let exchange = testCase.hybi00 {
            return await Hybi00Run.run(testCase, exchange, in: self, since: started)
        }
        if let compression = testCase.compression {
            return await DeflateRun.run(testCase, compression, in: self, since: started)
        }
        let peer: RawPeer
        do {
            peer = try await connect()
        } catch {
            return Self.failedResult(
                testCase, "could not open the connection: \(Self.describe(error))", since: started)
        }
        return await Self.run(
            testCase, on: peer, engine: engine, deadline: caseDeadline, transcripts: transcripts, since: started)
    }

    /// Runs one case on `peer` within `deadline`: past it, the connection is closed (which ends the case's
    /// stuck writes and reads) and the case FAILED.
    static func run(
        _ testCase: ConformanceCase, on peer: RawPeer, engine: CaseEngine.Options, deadline: Duration,
        transcripts: CaseTranscript.Options?, since started: ContinuousClock.Instant
    ) async -> CaseResult {
        let transcript = await transcripts.asyncMap {
            await CaseTranscript.start(for: testCase.id, peer: peer, options: $0)
        }
        defer { transcript??.finish() }
        let result = await withTaskGroup(of: CaseResult?.self) { group in
            group.addTask { await CaseEngine.run(testCase, on: peer, options: engine) }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil {
                await peer.closeTransport()
            }
            group.cancelAll()
            return first
        }
        return result ?? failedResult(testCase, "the case did not finish within \(deadline)", since: started)
    }

    private func connect() async throws -> RawPeer {
        try await RawWebSocketClient.connect(
            host: target.host, port: target.port, path: target.resource, hostHeader: target.hostHeader,
            extensions: [], tls: tls, timeout: engine.timeout
        ).0
    }

    static func failedResult(_ testCase: ConformanceCase, _ detail: String, since started: ContinuousClock.Instant)
        -> CaseResult
    {
        CaseResult(
            id: testCase.id, name: testCase.name, verdict: testCase.informational ? .informational : .failed,
            judgement: .failed, detail: detail, sent: CaseEngine.describeSent(testCase),
            expected: testCase.expectation.description, received: "", duration: ContinuousClock.now - started,
            observation: Observation())
    }

    /// A connection or handshake error in a few words.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HandshakeError: return "the opening handshake failed: \(error)"
        case let error as HTTPHeadError: return "the server's answer is not HTTP: \(error)"
        case let error as RawPeerError: return error.description
        default: return NetworkErrorText.describe(error)
        }
    }
}

extension Optional {
    /// The value mapped by an async function, or nil.
    func asyncMap<Mapped>(_ transform: (Wrapped) async -> Mapped) async -> Mapped? {
        guard let value = self else { return nil }
        return await transform(value)
    }
}
