import ArgumentParser
import Foundation
import NIOCore
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapReplay
import WSTapSession

/// `wstap replay`: plays one recorded connection again, as the client against a server (`--to`) or as
/// a mock server to clients (`--serve`).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded connection as the client (--to URL) or as a mock server (--serve HOST:PORT).",
        discussion: """
            As the client: the recorded request (path, headers, subprotocol; fresh keys, the new Host), then \
            every frame the client sent, byte for byte (invalid ones too), masked with fresh keys unless \
            --keep-masks (which also sends the recorded handshake keys, hybi-00's key bytes included), at the recorded pace scaled by --speed, or each after the replies that preceded it \
            with --wait-replies. A close frame always waits for the replies recorded before it. --check \
            compares the replies (data messages in order, and the close code) with the recording, prints the \
            differences and exits 1 when there are any.
            As a mock server: answers the handshake as recorded (the accept value, or the hybi-00 answer, \
            computed for the client's keys), sends what the server sent first, then after each client message \
            the server frames that followed it in the recording, each as long after that message as recorded \
            (scaled by --speed; max sends at once). --match exact reports client messages that differ from the \
            recorded ones (exit 1 with --once). --tls-cert/--tls-key serve wss://; --idle-timeout closes a \
            silent client (1001 "idle timeout").
            Pings and pongs are not waited for, counted or compared: peers send them on their own.

            Examples:
              wstap replay session.jsonl --to ws://127.0.0.1:9001 --wait-replies --check
              wstap replay session.jsonl --serve 127.0.0.1:9002 --conn 3 --match exact
            """
    )

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).")
    var file: String

    @Option(help: "Play the client against this server: ws[s]://host[:port][/path] (a path replaces the recorded one).")
    var to: String?

    @Option(help: "Play the server: listen on host:port.", transform: ListenAddress.parse)
    var serve: ListenAddress?

    @Option(help: "The recorded connection to play (default: the first one).")
    var conn: UInt64?

    @Option(help: "How much faster than recorded the frames follow each other (1, 2, 0.5, ...), or max.")
    var speed = "1"

    @Flag(help: "Client: send each frame after the replies that preceded it in the recording.")
    var waitReplies = false

    @Flag(help: "Client: compare the replies with the recording; exit 1 on any difference.")
    var check = false

    @Flag(help: "Client: keep the recorded masking keys and handshake keys.")
    var keepMasks = false

    @Option(
        help:
            "Record the replayed connection (client), or every connection the mock server serves (server), to this file."
    )
    var record: String?

    @OptionGroup var capture: CaptureLimitOption

    @Option(help: "Client: seconds to wait for expected replies.")
    var timeout: Double = 5

    @Option(help: "Client: a PEM file of CA certificates to trust for wss://.")
    var ca: String?

    @Flag(help: "Client: do not verify the server's certificate (insecure).")
    var insecure = false

    @Option(help: "Server: exact (each client message must equal the recorded one) or order.")
    var match: MockServerOptions.Matching = .order

    @Flag(help: "Server: serve one connection, then exit.")
    var once = false

    @Option(help: "Server: PEM certificate chain: serve wss:// (with --tls-key).")
    var tlsCert: String?

    @Option(help: "Server: PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "Server: close a client that sent nothing for this many seconds (0: never).")
    var idleTimeout: Double = 300

    func validate() throws {
        guard (to == nil) != (serve == nil) else {
            throw ValidationError("give either --to URL (play the client) or --serve HOST:PORT (play the server)")
        }
        if speed != "max" {
            guard let factor = Double(speed), factor > 0, factor.isFinite else {
                throw ValidationError("--speed '\(speed)': expected a positive number or max")
            }
        }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout: expected a positive number") }
        guard idleTimeout >= 0, idleTimeout.isFinite else {
            throw ValidationError("--idle-timeout: expected a number of seconds, 0 for never")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCert != nil, serve == nil { throw ValidationError("--tls-cert and --tls-key are for --serve") }
    }

    func run() async throws {
        let reader = try RecordingInput.open(file)
        let transcripts = ConnectionTranscript.group(recorded: try RecordingInput.events(in: reader))
        let script: ReplayScript
        do {
            script = try ReplayScript.select(transcripts, connection: conn)
        } catch {
            throw CommandFailure("\(file): \(error.description)")
        }
        if let serve {
            try await runServer(script, at: serve)
        } else if let to {
            try await runClient(script, to: to)
        }
    }

    private func runClient(_ script: ReplayScript, to: String) async throws {
        let target: WebSocketURL
        do {
            target = try WebSocketURL(to)
        } catch {
            throw CommandFailure("--to: \(error.description)")
        }
        let recorder = try record.map { path -> SessionRecorder in
            do {
                return try SessionRecorder(
                    path: path, mode: .client, wstapVersion: WSTapVersion.string, startedAt: SessionClock.now(),
                    options: RecorderOptions(wireSource: .frameEvents))
            } catch {
                throw CommandFailure("--record: \(error)")
            }
        }
        defer { recorder?.close() }
        let options = ClientReplayOptions(
            target: target, speed: speed == "max" ? nil : Double(speed), waitsForReplies: waitReplies,
            keepsMasks: keepMasks, replyTimeout: .milliseconds(Int64(timeout * 1000)),
            tls: ClientTLSOptions(extraCAFile: ca, insecureSkipVerification: insecure))
        let result: ClientReplayResult
        do {
            result = try await ClientReplayer.run(script, options: options) { event in recorder?.record(event) }
        } catch {
            throw CommandFailure(error.description)
        }
        let data = result.replies.filter(\.isData).count
        let close = result.replies.last { $0.opcode == .close }.map(MessageComparison.describe) ?? "no close"
        print(
            "replayed connection \(script.connection) to \(target): sent \(result.sentCount) of "
                + "\(CountWords.of(script.clientSends.count, "frame")), received \(CountWords.of(data, "message")), \(close)"
                + (result.serverEndedEarly ? " (the server ended the connection early)" : "")
                + (result.timedOut ? " (expected replies did not all come within \(timeout) s)" : ""))
        guard check else { return }
        let differences = MessageComparison.differences(expected: script.serverMessages, actual: result.replies)
        if differences.isEmpty {
            print("check: the replies match the recording")
            return
        }
        print("check: \(differences.count) difference\(differences.count == 1 ? "" : "s") from the recording:")
        for line in differences { print("  \(line)") }
        throw ExitCode(1)
    }

    private func runServer(_ script: ReplayScript, at address: ListenAddress) async throws {
        let printer = LinePrinter()
        let recorder = try record.map { try RecordingOption.open($0, mode: .server) }
        defer { recorder?.close() }
        var options = MockServerOptions(
            matching: match, servesOnce: once, speed: speed == "max" ? nil : Double(speed),
            idleTimeout: idleTimeout > 0 ? .milliseconds(Int64(idleTimeout * 1000)) : nil,
            tls: tlsCert.flatMap { cert in
                tlsKey.map { ServerTLSOptions(certificateChainFile: cert, privateKeyFile: $0) }
            })
        options.consumer = recorder
        options.captureLimit = try capture.bytes()
        let server: MockServer
        do {
            server = try await MockServer.start(
                script, host: address.host, port: address.port, options: options
            ) { report in printer.line(report.description) }
        } catch {
            throw CommandFailure(error.description)
        }
        let scheme = tlsCert == nil ? "ws" : "wss"
        printer.line(
            "serving recorded connection \(script.connection) on \(address.host):\(server.port) (\(scheme)://)")
        try await server.run()
        if server.problemCount > 0 { throw ExitCode(1) }
    }
}
