import NIOConcurrencyHelpers
import WSTapCore

/// A run of conformance cases against a client: wstap listens, and each connection the client under test opens
/// runs the next case (or the case its URL names: `/runCase?case=7.1.1`, or `?case=N` for the Nth selected).
public struct ClientConformanceRun: Sendable {
    /// The listening socket.
    public let server: RawWebSocketServer
    /// The engine's waits.
    public var engine: CaseEngine.Options
    /// How long to wait for the client's next connection before the cases left are FAILED.
    public var connectionWait: Duration
    /// Where each case's connection is recorded, if anywhere.
    public var transcripts: CaseTranscript.Options?

    /// A run that takes connections on `server`.
    public init(
        server: RawWebSocketServer, engine: CaseEngine.Options, connectionWait: Duration,
        transcripts: CaseTranscript.Options? = nil
    ) {
        self.server = server
        self.engine = engine
        self.connectionWait = connectionWait
        self.transcripts = transcripts
    }

    /// Runs every case on a connection of the client's, as they come (several at once when the client opens
    /// several); returns the results in the cases' order. Cases no connection came for are FAILED.
    public func run(
        _ cases: [ConformanceCase], progress: @escaping @Sendable (CaseResult, Int) -> Void = { _, _ in }
    ) async -> [CaseResult] {
        let done = NIOLockedValueBox(0)
        let deadline = engine.timeout * 3 + engine.failFastWait
        let engine = self.engine
        let transcripts = self.transcripts
        return await withTaskGroup(of: (Int, CaseResult).self) { group in
            var results: [CaseResult?] = Array(repeating: nil, count: cases.count)
            var started = Set<Int>()
            let report: @Sendable (CaseResult) -> Void = { result in
                progress(
                    result,
                    done.withLockedValue { count in
                        count += 1
                        return count
                    })
            }
            while started.count < cases.count {
                let connection: (peer: RawPeer, target: String)?
                do {
                    connection = try await server.accept(within: connectionWait)
                } catch {
                    continue  // A request that is not an upgrade: answered with 400; the case waits for the next.
                }
                guard let connection else { break }
                guard let index = Self.caseIndex(for: connection.target, in: cases, started: started) else {
                    await connection.peer.closeTransport()
                    continue
                }
                started.insert(index)
                let since = ContinuousClock.now
                group.addTask {
                    let result = await ConformanceRun.run(
                        cases[index], on: connection.peer, engine: engine, deadline: deadline, transcripts: transcripts,
                        since: since)
                    report(result)
                    return (index, result)
                }
            }
            while let (index, result) = await group.next() { results[index] = result }
            for index in cases.indices where results[index] == nil {
                let result = ConformanceRun.failedResult(
                    cases[index], "no connection came for it within \(connectionWait)", since: .now)
                report(result)
                results[index] = result
            }
            return results.compactMap { $0 }
        }
    }

    /// The case a request target asks for (`?case=ID` or `?case=N`, 1-based), or the first not started yet.
    static func caseIndex(for target: String, in cases: [ConformanceCase], started: Set<Int>) -> Int? {
        if let query = target.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0] == "case" else { continue }
                let wanted = String(parts[1])
                if let number = Int(wanted), cases.indices.contains(number - 1), !started.contains(number - 1) {
                    return number - 1
                }
                if let index = cases.firstIndex(where: { $0.id == wanted }), !started.contains(index) { return index }
            }
        }
        return cases.indices.first { !started.contains($0) }
    }
}
