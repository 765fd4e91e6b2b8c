import ArgumentParser
import WSTapNetwork
import WSTapReplay
import WSTapRuntime

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
            differences and exits 1 when there are any; for a finding of wstap fuzz (a recording with a \
            'fuzz finding' note) it sends the recorded bytes and exits 1 when the target misbehaves as the \
            finding says (0 when it does not); with --serve, for a finding of wstap fuzz --as-server, it \
            plays the recorded server side to the first client that connects (within 60 s) and judges it the same way.
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

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).") var file: String

    @Option(help: "Play the client against this server: ws[s]://host[:port][/path] (a path replaces the recorded one).")
    var to: String?

    @Option(help: "Play the server: listen on host:port.", transform: ListenAddress.parse) var serve: ListenAddress?
    @Option(help: "The recorded connection to play (default: the first one).") var conn: UInt64?

    @Option(help: "How much faster than recorded the frames follow each other (1, 2, 0.5, ...), or max.")
    var speed = "1"

    @Flag(help: "Client: send each frame after the replies that preceded it in the recording.") var waitReplies = false
    @Flag(help: "Client: compare the replies with the recording; exit 1 on any difference.") var check = false
    @Flag(help: "Client: keep the recorded masking keys and handshake keys.") var keepMasks = false
    @Option(
        help:
            "Record the replayed connection (client), or every connection the mock server serves (server), to this file."
    )
    var record: String?
    @OptionGroup var capture: CaptureLimitOption
    @Option(help: "Client: seconds to wait for expected replies.") var timeout: Double = 5
    @OptionGroup var clientTLS: ClientTLSFlags

    @Option(help: "Server: exact (each client message must equal the recorded one) or order.")
    var match: MockServerOptions.Matching = .order

    @Flag(help: "Server: serve one connection, then exit.") var once = false
    @OptionGroup var serverTLS: ServerTLSFlags

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
        if serverTLS.tlsCert != nil, serve == nil { throw ValidationError("--tls-cert and --tls-key are for --serve") }
    }

    func run() async throws {
        let script = try ReplayRun.script(file, connection: conn)
        let speed = self.speed == "max" ? nil : Double(self.speed)
        if let serve {
            if check, let finding = try ReplayRun.finding(file) {
                try await ReplayRun.serveFinding(
                    script, finding: finding, at: serve, wait: .seconds(60),
                    timeout: .milliseconds(Int64(timeout * 1000)))
                return
            }
            var options = MockServerOptions(
                matching: match, servesOnce: once, speed: speed,
                idleTimeout: idleTimeout > 0 ? .milliseconds(Int64(idleTimeout * 1000)) : nil,
                tls: serverTLS.options)
            options.captureLimit = try capture.bytes()
            try await ReplayRun.server(script, at: serve, options: options, record: record)
        } else if let to {
            let target: WebSocketURL
            do {
                target = try WebSocketURL(to)
            } catch {
                throw CommandFailure("--to: \(error.description)")
            }
            let options = ClientReplayOptions(
                target: target, speed: speed, waitsForReplies: waitReplies, keepsMasks: keepMasks,
                replyTimeout: .milliseconds(Int64(timeout * 1000)),
                tls: clientTLS.options)
            if check, let finding = try ReplayRun.finding(file) {
                try await ReplayRun.checkFinding(script, finding: finding, options: options)
                return
            }
            try await ReplayRun.client(script, options: options, record: record, check: check)
        }
    }
}
