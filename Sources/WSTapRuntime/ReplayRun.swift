import NIOCore
import NIOSSL
public import WSTapConformance
import WSTapCore
import WSTapExport
import WSTapInspect
import WSTapNetwork
public import WSTapReplay
import WSTapSession

/// `wstap replay`: one recorded connection played again, as the client against a server or as a mock server
/// to clients.
public enum ReplayRun {
    /// The script of connection `connection` (the first one if `nil`) of the recording at `path`.
    public static func script(_ path: String, connection: UInt64?) throws -> ReplayScript {
        let reader = try RecordingInput.open(path)
        let transcripts = ConnectionTranscript.group(recorded: try RecordingInput.events(in: reader))
        do {
            return try ReplayScript.select(transcripts, connection: connection)
        } catch {
            throw CommandFailure("\(path): \(error.description)")
        }
    }

    /// The kind of fuzz finding the recording at `path` holds (its note `fuzz finding: KIND: ...`), if it is one
    /// `wstap fuzz` wrote, and the note.
    public static func finding(_ path: String) throws -> (kind: FuzzFinding.Kind, note: String)? {
        let reader = try RecordingInput.open(path)
        for (event, _) in try RecordingInput.events(in: reader) {
            if case .note(_, let text, _) = event, let kind = FindingCheck.kind(inNote: text) { return (kind, text) }
        }
        return nil
    }

    /// `--check` of a fuzz finding: the recorded client bytes (the case and its probe) against
    /// `options.target`, judged as `wstap fuzz` judged them; throws ``ExitStatus/failure`` when the target
    /// misbehaves as recorded.
    public static func checkFinding(
        _ script: ReplayScript, finding: (kind: FuzzFinding.Kind, note: String), options: ClientReplayOptions
    ) async throws {
        var tls: NIOSSLContext?
        if options.target.isSecure {
            do {
                tls = try options.tls.makeContext()
            } catch {
                throw CommandFailure(NetworkErrorText.describe(error))
            }
        }
        let bytes = script.clientSends.flatMap { Array($0.wireBytes.readableBytesView) }
        StandardStreams.output("replaying \(finding.note)\n")
        let result = await FindingCheck.run(
            kind: finding.kind, bytes: bytes, target: options.target, tls: tls, timeout: options.replyTimeout)
        if result.reproduced {
            StandardStreams.output("check: reproduced: \(result.text)\n")
            throw ExitStatus.failure
        }
        StandardStreams.output("check: not reproduced: \(result.text)\n")
    }

    /// `--serve ADDRESS --check` of a fuzz finding against a client: listens, plays the recorded server bytes (the
    /// case and its probe) to the first client that connects within `wait`, judges its answer as `wstap fuzz
    /// --as-server` did; throws ``ExitStatus/failure`` when the client misbehaves as recorded.
    public static func serveFinding(
        _ script: ReplayScript, finding: (kind: FuzzFinding.Kind, note: String), at address: ListenAddress,
        wait: Duration, timeout: Duration
    ) async throws {
        let server: RawWebSocketServer
        do {
            server = try await RawWebSocketServer.start(host: address.host, port: address.port)
        } catch {
            throw CommandFailure("cannot listen on \(address): \(NetworkErrorText.describe(error))")
        }
        StandardStreams.output("serving \(finding.note)\n")
        StandardStreams.output("listening on \(address.host):\(server.port): connect the client under test\n")
        let bytes = script.serverSends.flatMap { Array($0.wireBytes.readableBytesView) }
        let result: FindingCheck.Result
        do {
            result = try await FindingCheck.serve(
                kind: finding.kind, bytes: bytes, server: server, wait: wait, timeout: timeout)
        } catch {
            await server.stop()
            throw CommandFailure(error.description)
        }
        await server.stop()
        if result.reproduced {
            StandardStreams.output("check: reproduced: \(result.text)\n")
            throw ExitStatus.failure
        }
        StandardStreams.output("check: not reproduced: \(result.text)\n")
    }

    /// Plays the client's side against `options.target` and prints what came of it; with `check`, compares
    /// the replies with the recording and throws ``ExitStatus/failure`` when they differ. `record` records
    /// the replayed connection.
    public static func client(
        _ script: ReplayScript, options: ClientReplayOptions, record: String?, check: Bool
    ) async throws {
        let recorder = try record.map { path in
            try RecordingOption.open(path, mode: .client, options: RecorderOptions(wireSource: .frameEvents)) {
                guard case .note(_, let text, _) = $0 else { return }
                StandardStreams.error("wstap: \(text)\n")
            }
        }
        defer { recorder?.close() }
        var options = options
        options.backpressure = recorder
        let result: ClientReplayResult
        do {
            result = try await ClientReplayer.run(script, options: options) { event in recorder?.record(event) }
        } catch {
            throw CommandFailure(error.description)
        }
        let data = result.replies.filter(\.isData).count
        let close = result.replies.last { $0.opcode == .close }.map(MessageComparison.describe) ?? "no close"
        let seconds =
            Double(options.replyTimeout.components.seconds)
            + Double(options.replyTimeout.components.attoseconds) / 1e18
        print(
            "replayed connection \(script.connection) to \(options.target): sent \(result.sentCount) of "
                + "\(CountWords.of(script.clientSends.count, "frame")), received \(CountWords.of(data, "message")), "
                + close
                + (result.serverEndedEarly ? " (the server ended the connection early)" : "")
                + (result.timedOut ? " (expected replies did not all come within \(seconds) s)" : ""))
        guard check else { return }
        let differences = MessageComparison.differences(expected: script.serverMessages, actual: result.replies)
        if differences.isEmpty {
            print("check: the replies match the recording")
            return
        }
        print("check: \(differences.count) difference\(differences.count == 1 ? "" : "s") from the recording:")
        for line in differences { print("  \(line)") }
        throw ExitStatus.failure
    }

    /// Serves the recorded server's side on `address` until it stops (after one connection with
    /// `options.servesOnce`), a line per report; throws ``ExitStatus/failure`` when it saw problems.
    public static func server(
        _ script: ReplayScript, at address: ListenAddress, options: MockServerOptions, record: String? = nil
    ) async throws {
        let printer = LinePrinter()
        let recorder = try record.map { try RecordingOption.open($0, mode: .server) }
        defer { recorder?.close() }
        var options = options
        if let recorder { options.consumer = recorder }
        let server: MockServer
        do {
            server = try await MockServer.start(script, host: address.host, port: address.port, options: options) {
                report in printer.line(report.description)
            }
        } catch {
            throw CommandFailure(error.description)
        }
        let scheme = options.tls == nil ? "ws" : "wss"
        printer.line(
            "serving recorded connection \(script.connection) on \(address.host):\(server.port) (\(scheme)://)")
        try await server.run()
        if server.problemCount > 0 { throw ExitStatus.failure }
    }
}
