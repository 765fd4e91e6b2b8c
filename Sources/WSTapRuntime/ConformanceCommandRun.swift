import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
public import WSTapConformance
public import WSTapCore
import WSTapInspect
import WSTapNetwork
import WSTapSession

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `wstap conformance` does: picks the cases, checks that the server can be reached, runs the cases with a
/// progress line, prints the summary table and writes the JSON report.
public enum ConformanceCommandRun {
    /// The command's options.
    public struct Options: Sendable {
        /// The server, or the address to listen on for a client.
        public var peer: PeerUnderTest
        /// `--cases` patterns (comma-separated lists).
        public var cases: [String] = []
        /// `--exclude` patterns.
        public var exclude: [String] = []
        /// How many cases run at once.
        public var jobs = 4
        /// Seconds: the longest wait for any one thing in a case.
        public var timeout: Double = 10
        /// Seconds the server has to fail once the bytes up to a case's cut are in.
        public var failFastWait: Double = 1
        /// The server's declared maximum message size: adds the cases over it.
        public var maxMessageSize: Int?
        /// Where to write the JSON report.
        public var json: String?
        /// A folder for a recording of each case's connection (`ID.jsonl`).
        public var transcripts: String?
        /// A folder for the static HTML report (`index.html`, and the transcripts in `transcripts/` unless
        /// ``transcripts`` names another folder).
        public var html: String?
        /// The hybi-00 framing the server speaks: only the hybi-00 cases in it run (14.1 old, 14.2 new).
        public var hybi00Framing = Hybi00Framing.old
        /// Print the selected cases' ids and names instead of running them.
        public var list = false

        /// Options for a run against `peer`.
        public init(peer: PeerUnderTest) {
            self.peer = peer
        }
    }

    /// A failure of usage: a bad URL or pattern, a server that cannot be reached (exit status 2).
    public static let usageStatus = ExitStatus(2)

    /// The cases `options` select (without running them), or a one-line error.
    public static func selectedCases(_ options: Options) throws(CommandFailure) -> [ConformanceCase] {
        var cases = ConformanceCatalog.all
        if let limit = options.maxMessageSize {
            cases += ConformanceCatalog.overLimit(limit)
        }
        do {
            let selection = try CaseSelection(cases: options.cases, exclude: options.exclude)
            var selected = try selection.select(from: cases)
            guard !selected.isEmpty else { throw CommandFailure("--exclude leaves no case to run") }
            // The hybi-00 framing cannot be negotiated: only the cases in the server's run.
            selected.removeAll { $0.hybi00.map { $0.framing != options.hybi00Framing } ?? false }
            guard !selected.isEmpty else {
                throw CommandFailure("the selected hybi-00 cases are in the other framing (see --hybi00-framing)")
            }
            if options.peer.listen != nil {
                // A client cannot be asked what a server must answer.
                selected.removeAll(where: \.testsServersOnly)
                guard !selected.isEmpty else {
                    throw CommandFailure(
                        "the selected cases test servers only (categories 12 to 16), not clients")
                }
            }
            return selected
        } catch let error as CaseSelection.PatternError {
            throw CommandFailure(error.description)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Runs the command; returns the exit status (0: nothing failed, 1: a case failed). A usage problem is
    /// printed as one line on standard error and ends with status 2.
    public static func run(_ options: Options) async throws -> Int32 {
        let url: WebSocketURL
        let cases: [ConformanceCase]
        do {
            if options.list {
                StandardStreams.output(try selectedCases(options).map { "\($0.id) \($0.name)\n" }.joined())
                return 0
            }
            url = try options.peer.serverURL()
            cases = try selectedCases(options)
            guard options.jobs >= 1 else { throw CommandFailure("--jobs must be 1 or more, not \(options.jobs)") }
            guard options.timeout > 0, options.failFastWait >= 0 else {
                throw CommandFailure("--timeout must be above 0 and --fail-fast-wait 0 or more")
            }
            if let folder = options.html {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw CommandFailure("--html: cannot make the folder '\(folder)': \(error.localizedDescription)")
                }
            }
            if let folder = options.transcripts ?? options.html.map({ $0 + "/transcripts" }) {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw CommandFailure(
                        "--transcripts: cannot make the folder '\(folder)': \(error.localizedDescription)")
                }
            }
        } catch let failure as CommandFailure {
            StandardStreams.error("Error: \(failure.description)\n")
            throw usageStatus
        }
        let engine = CaseEngine.Options(
            timeout: .milliseconds(Int(options.timeout * 1000)),
            failFastWait: .milliseconds(Int(options.failFastWait * 1000)))
        let transcripts = (options.transcripts ?? options.html.map { $0 + "/transcripts" }).map {
            CaseTranscript.Options(folder: $0, wstapVersion: WSTapVersion.string)
        }
        if let listen = options.peer.listen {
            return try await runAgainstClient(
                cases, listen: listen, engine: engine, transcripts: transcripts, options: options)
        }
        var tls: NIOSSLContext? = nil
        if url.isSecure {
            do {
                tls = try options.peer.tls.makeContext()
            } catch {
                StandardStreams.error("Error: \(NetworkErrorText.describe(error))\n")
                throw usageStatus
            }
        }
        let run = ConformanceRun(
            target: url, jobs: options.jobs, engine: engine, transcripts: transcripts, tls: tls)
        do {
            try await run.probe()
        } catch {
            StandardStreams.error("Error: \(error.description)\n")
            throw usageStatus
        }
        let progress = ProgressLine(total: cases.count, enabled: isatty(STDERR_FILENO) == 1)
        let started = ContinuousClock.now
        let results = await run.run(cases) { result, done in progress.update(result, done: done) }
        progress.finish()
        return try finish(
            ConformanceReport(target: url.description, results: results, duration: ContinuousClock.now - started),
            options)
    }

    /// Listens on `listen` and runs a case on each connection the client under test opens.
    static func runAgainstClient(
        _ cases: [ConformanceCase], listen: ListenAddress, engine: CaseEngine.Options,
        transcripts: CaseTranscript.Options?, options: Options
    ) async throws -> Int32 {
        let server: RawWebSocketServer
        do {
            server = try await RawWebSocketServer.start(host: listen.host, port: listen.port)
        } catch {
            StandardStreams.error("Error: cannot listen on \(listen): \(NetworkErrorText.describe(error))\n")
            throw usageStatus
        }
        let address = "ws://\(listen.bracketedHost):\(server.port)/"
        StandardStreams.output(
            "listening on \(listen.host):\(server.port): connect the client under test to \(address) \(cases.count) "
                + "times (or to \(address)runCase?case=ID)\n")
        let run = ClientConformanceRun(
            server: server, engine: engine, connectionWait: .milliseconds(Int(options.timeout * 3000)),
            transcripts: transcripts)
        let progress = ProgressLine(total: cases.count, enabled: isatty(STDERR_FILENO) == 1)
        let started = ContinuousClock.now
        let results = await run.run(cases) { result, done in progress.update(result, done: done) }
        progress.finish()
        await server.stop()
        return try finish(
            ConformanceReport(
                target: "client at \(address)", results: results, duration: ContinuousClock.now - started),
            options)
    }

    /// Prints the table, writes the JSON report; the exit status.
    static func finish(_ report: ConformanceReport, _ options: Options) throws -> Int32 {
        if let folder = options.html {
            try writeHTML(report, into: folder, transcripts: options.transcripts)
        }
        StandardStreams.output(report.table)
        if let path = options.json {
            let file = try OutputFile(path)
            try file.write(ByteBuffer(string: report.json))
            try file.close()
        }
        return report.hasFailures ? 1 : 0
    }

    /// Writes `folder/index.html`: the report, each case with its transcript (from `transcripts`, or
    /// `folder/transcripts`).
    static func writeHTML(_ report: ConformanceReport, into folder: String, transcripts: String?) throws {
        let transcriptFolder = transcripts ?? folder + "/transcripts"
        var pages: [String: ConformanceHTML.Transcript] = [:]
        for result in report.results {
            let path = transcriptFolder + "/" + result.id + ".jsonl"
            guard FileManager.default.fileExists(atPath: path), let reader = try? RecordingReader(path: path) else {
                continue
            }
            var lines: [String] = []
            var more = 0
            for case .success(let recorded) in reader.events() {
                if lines.count < 400 {
                    lines.append(TrafficEventDescription.line(recorded.event))
                } else {
                    more += 1
                }
            }
            if more > 0 { lines.append("... and \(more) more events (wstap view shows them all)") }
            let link =
                transcripts == nil
                ? "transcripts/" + result.id + ".jsonl" : URL(fileURLWithPath: path).standardizedFileURL.path
            pages[result.id] = ConformanceHTML.Transcript(link: link, lines: lines)
        }
        let file = try OutputFile(folder + "/index.html")
        try file.write(ByteBuffer(string: ConformanceHTML.page(report, transcripts: pages)))
        try file.close()
    }

    /// The URL, or a one-line error that says what is wrong with it.
    static func parse(_ text: String) throws(CommandFailure) -> WebSocketURL {
        let url: WebSocketURL
        do {
            url = try WebSocketURL(text)
        } catch {
            throw CommandFailure("\(error.description) (expected ws://HOST:PORT/PATH)")
        }
        return url
    }
}

/// The progress line on standard error (only when it is a terminal): a bar, the count, the verdicts so far.
final class ProgressLine: Sendable {
    private let total: Int
    private let enabled: Bool
    /// FAILED and NON-STRICT so far.
    private let counts = NIOLockedValueBox((failed: 0, nonStrict: 0))

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ result: CaseResult, done: Int) {
        guard enabled else { return }
        let (failed, nonStrict) = counts.withLockedValue { counts in
            if result.verdict == .failed { counts.failed += 1 }
            if result.verdict == .nonStrict { counts.nonStrict += 1 }
            return counts
        }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        StandardStreams.error(
            "\r[\(bar)] \(done)/\(total)  FAILED \(failed)  NON-STRICT \(nonStrict)  \(result.id)\u{1B}[K")
    }

    func finish() {
        guard enabled else { return }
        StandardStreams.error("\r\u{1B}[K")
    }
}
