import ArgumentParser
import Foundation
import WSTapCore
import WSTapNetwork
import WSTapRuntime

/// `wstap connect`: a client. In a terminal it opens the UI on the connection; otherwise (or with
/// `--no-tui`, `--jsonl`, `--echo`, `--binary`) standard input lines go out as messages and messages that
/// arrive are printed one per line.
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Connect to a WebSocket server: the terminal UI, or stdin lines sent and messages printed.",
        discussion: """
            In a terminal the UI opens on the connection (s sends a text message, ? lists the keys; q closes \
            with 1000, Ctrl-C with 1001). With --no-tui, --jsonl, --echo or --binary, or when stdin or stdout \
            is not a terminal, lines instead: end of input closes with 1000 (once as many messages came back \
            as were sent, or --linger is over), Ctrl-C with 1001 (going away); a close from the server ends \
            it at once, its code and reason on stderr.

            Exit status: 0 after a clean close with 1000 (or no code), 1 when the connection failed or was \
            lost, 3 after a clean close with any other code, 130 after Ctrl-C (143 after TERM).

            Examples:
              echo hello | wstap connect ws://127.0.0.1:9001/
              wstap connect ws://127.0.0.1:9001/ --jsonl < /dev/null
              wstap connect ws://127.0.0.1:9001/ --echo     # sends every message back
              wstap connect https://example.com/ws -b sid=1   # as curl takes them
            """
    )

    @Argument(help: "ws:// or wss:// URL to connect to (http:// and https:// are taken as ws:// and wss://).")
    var url: String

    @OptionGroup(title: "Request (curl's flags: a browser's \"Copy as cURL\" runs with curl replaced by wstap connect)")
    var request: CurlFlags

    @Option(name: .customLong("subprotocol"), help: "A subprotocol to ask for (repeatable, in preference order).")
    var subprotocols: [String] = []

    @OptionGroup var format: WireFormatOptions
    @Option(help: "Close after this many seconds with no frame received (0: never).") var idleTimeout: Int = 300

    @Option(
        help: ArgumentHelp(
            "Send a keepalive ping every this many seconds and print each round-trip time (0: never).",
            discussion: "Lines 'rtt 0.123 ms' go to standard error; with --jsonl, {\"event\":\"rtt\",...} lines."))
    var pingInterval: Double = 0

    @OptionGroup var tls: ClientTLSFlags
    @Flag(help: "Offer permessage-deflate compression.") var deflate = false
    @Flag(help: "Send stdin lines as binary messages instead of text.") var binary = false

    @Flag(help: "Print every frame both ways, the opening and the close as JSON lines (docs/json-events.md).")
    var jsonl = false

    @Option(
        help: ArgumentHelp(
            "At the end of input, wait up to this many seconds for as many messages to come back as were sent, "
                + "then close (0: close at once).", valueName: "seconds"))
    var linger: Double = 2

    @Flag(help: "Send every received message straight back with its type; ignore stdin.") var echo = false
    @Flag(help: "Send stdin lines and print messages instead of opening the terminal UI.") var noTui = false

    @Option(
        help: ArgumentHelp(
            "Record the connection to FILE, losslessly (JSON Lines; see docs/recording-format.md).", valueName: "file"))
    var record: String?

    @Flag(
        help: ArgumentHelp(
            "Connect again when the connection ends without this end closing it, or cannot be opened.",
            discussion: "Waits 1 s, doubling on every failure in a row up to --reconnect-max, with jitter."))
    var reconnect = false

    @Option(help: ArgumentHelp("The longest wait between attempts to connect again.", valueName: "seconds"))
    var reconnectMax: Double = 30

    @Option(
        help: ArgumentHelp(
            "Messages to send after every connect, before stdin's lines: a line per message, an empty line "
                + "waits 1 s, wait:REGEX waits for a message that matches.", valueName: "file"))
    var preamble: String?

    @Option(
        help: ArgumentHelp(
            "Send this file as one binary message, after the preamble and before stdin's lines.", valueName: "file"))
    var sendFile: String?

    @OptionGroup var capture: CaptureLimitOption
    @OptionGroup var lens: LensOption

    func validate() throws {
        guard pingInterval >= 0, pingInterval.isFinite else {
            throw ValidationError("--ping-interval \(pingInterval): give a number of seconds, 0 or more")
        }
        guard linger >= 0, linger.isFinite else {
            throw ValidationError("--linger \(linger): give a number of seconds, 0 or more")
        }
        guard reconnectMax > 0, reconnectMax.isFinite else {
            throw ValidationError("--reconnect-max \(reconnectMax): give a number of seconds, more than 0")
        }
        guard idleTimeout >= 0 else {
            throw ValidationError("--idle-timeout \(idleTimeout): give a number of seconds, 0 for never")
        }
    }

    func run() async throws {
        var copied = CopiedRequest(url: url)
        copied.headers = request.headers
        copied.cookies = request.cookies
        copied.userAgent = request.userAgent
        copied.referer = request.referer
        copied.user = request.user
        let handshake = try copied.handshake()
        for note in handshake.notes {
            StandardStreams.error("note: \(note)\n")
        }
        let target = handshake.target
        var options = ClientOptions(
            variant: format.variant, framing: format.framing, subprotocols: subprotocols,
            extraHeaders: handshake.extraHeaders, origin: handshake.origin,
            idleTimeout: idleTimeout > 0 ? .seconds(Int64(idleTimeout)) : nil,
            tls: tls.options, offersCompression: deflate || handshake.offersCompression,
            keepaliveInterval: pingInterval > 0 ? .nanoseconds(Int64(pingInterval * 1e9)) : nil)
        options.host = handshake.host
        if let proxy = request.proxy {
            do {
                options.proxy = try HTTPProxyAddress(parsing: proxy)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        if !noTui, !jsonl, !echo, !binary, TerminalUI.isAvailable {
            if reconnect || preamble != nil || sendFile != nil {
                throw CommandFailure(
                    "--reconnect, --preamble and --send-file work in the line mode for now: add --no-tui "
                        + "(docs/connect.md)")
            }
            try await ClientUI.run(
                target: target, options: options, record: record, captureLimit: try capture.bytes(),
                lenses: try lens.choice())
            return
        }
        var client = LineClient(
            target: target, options: options, opcode: binary ? .binary : .text, echo: echo, jsonl: jsonl,
            record: record, linger: .nanoseconds(Int64(linger * 1e9)), captureLimit: try capture.bytes())
        client.lenses = try lens.choice()
        client.answerTimeout = lens.answerTimeout
        if reconnect {
            client.reconnect = ReconnectBackoff(maximum: .nanoseconds(Int64(reconnectMax * 1e9)))
        }
        client.preamble = try preamble.map { try Preamble(contentsOf: $0) }
        client.fileToSend = try sendFile.map { path in
            do {
                return try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw CommandFailure("--send-file \(path): cannot read it: \(error.localizedDescription)")
            }
        }
        try await client.run()
    }
}
