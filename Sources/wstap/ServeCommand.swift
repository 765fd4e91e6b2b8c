import ArgumentParser
import WSTapNetwork
import WSTapRuntime

/// `wstap serve`: an echo server for RFC 6455 and hybi-00 clients.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a WebSocket echo server (RFC 6455 and hybi-00 on one port).",
        discussion: """
            Text comes back as text and binary as binary. In a terminal the UI shows every frame; with \
            --no-tui or -q, or when stdin or stdout is not a terminal, one line is printed per connection and \
            per close (--jsonl: a JSON event per opening, frame and close, docs/json-events.md).

            Example:
              wstap serve --listen 127.0.0.1:9001 --subprotocol chat
            """
    )

    @Option(
        help: "host:port to listen on (port 0 picks a free port; the line 'listening on' tells which).",
        transform: ListenAddress.parse)
    var listen = ListenAddress(host: "127.0.0.1", port: 9001)

    @Option(name: .customLong("subprotocol"), help: "A subprotocol to accept (repeatable).")
    var subprotocols: [String] = []

    @Option(help: "hybi-00 framing: old or new.") var framing: Hybi00Framing = .old

    @Option(help: "Close connections with no frame received for this many seconds (0: never).")
    var idleTimeout: Int = 300

    @OptionGroup var tls: ServerTLSFlags
    @Flag(help: "Decline permessage-deflate (accepted by default).") var noDeflate = false
    @Flag(name: .shortAndLong, help: "Print nothing.") var quiet = false
    @Flag(help: "Print a line per connection and close instead of opening the terminal UI.") var noTui = false

    @Flag(
        help: "Print every connection's opening, frames both ways and close as JSON lines (docs/json-events.md).")
    var jsonl = false

    @Option(
        help: ArgumentHelp(
            "Record every connection to FILE, losslessly (JSON Lines; see docs/recording-format.md).",
            valueName: "file"))
    var record: String?

    @OptionGroup var capture: CaptureLimitOption
    @OptionGroup var lens: LensOption

    func validate() throws {
        guard idleTimeout >= 0 else {
            throw ValidationError("--idle-timeout \(idleTimeout): give a number of seconds, 0 for never")
        }
    }

    func run() async throws {
        let options = ServerOptions(
            subprotocols: subprotocols, hybi00Framing: framing,
            idleTimeout: idleTimeout > 0 ? .seconds(Int64(idleTimeout)) : nil, tls: tls.options,
            compression: noDeflate ? nil : PerMessageDeflateServerPolicy())
        let showsUI = !quiet && !noTui && !jsonl && TerminalUI.isAvailable
        try await ServeRun.run(
            listen: listen, options: options, record: record, captureLimit: try capture.bytes(),
            printing: showsUI ? nil : quiet ? .quiet : jsonl ? .json : .lines, lenses: try lens.choice(),
            answerTimeout: lens.answerTimeout)
    }
}
