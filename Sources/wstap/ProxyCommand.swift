import ArgumentParser
import WSTapCore
import WSTapNetwork
import WSTapPipeline
import WSTapRuntime

/// `wstap proxy`: a reverse or forward proxy that shows every frame passing through, in the terminal UI
/// or as lines.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Relay WebSocket connections and show every frame (reverse proxy, or forward without --upstream).",
        discussion: """
            Every byte is forwarded unchanged, invalid frames included, unless a rule (--rewrite, --drop, \
            --respond, --delay) or a --script changes or holds a message; frames are decoded on the side. \
            In a terminal the UI opens (? lists its keys): x opens the frame composer to handcraft a frame \
            and inject it into either direction, e edits the selected or a held frame in it. Ctrl-C (or TERM \
            without the UI) stops it cleanly: the recording finished, the control socket removed.

            Examples:
              wstap proxy --listen 127.0.0.1:8080 --upstream ws://127.0.0.1:9001 --no-tui
              wstap proxy --listen 127.0.0.1:8080 --no-tui          # forward proxy
              wstap proxy --upstream ws://127.0.0.1:9001 --rewrite '/user/admin/'
            (forward: clients use http://127.0.0.1:8080 as their HTTP proxy and trust the CA of \
            `wstap ca export`)
            """
    )

    @Option(help: "host:port to listen on (127.0.0.1 unless given).", transform: ListenAddress.parse)
    var listen = ListenAddress(host: "127.0.0.1", port: 8080)

    @Option(
        help: "ws:// or wss:// URL of the server (its path is a prefix for every request path); none: forward proxy.")
    var upstream: String?

    @Option(help: "A PEM file of CA certificates to trust for a wss:// upstream (forward mode: for every TLS server).")
    var upstreamCa: String?

    @Flag(help: "Do not verify the upstream's certificate (insecure).") var insecureUpstream = false

    @Flag(
        help: ArgumentHelp(
            "Send the client's Host header upstream unchanged (reverse mode).",
            discussion:
                "By default Host names the upstream, and an Origin that names the proxy becomes the upstream's origin."
        ))
    var keepHost = false

    @Option(help: "hybi-00 framing: old or new.") var framing: Hybi00Framing = .old
    @Flag(help: "Print one line per event instead of opening the terminal UI.") var noTui = false

    @Flag(help: "Print events as JSON lines (docs/json-events.md): standard output carries nothing else.")
    var jsonl = false

    @Flag(name: .shortAndLong, help: "Print no events (frames are still decoded).") var quiet = false

    @Option(
        help: ArgumentHelp(
            "Listen for control commands (intercept, inject, close, framing) on this local socket.",
            discussion: "Drive it with `wstap ctl --socket PATH COMMAND`; see `wstap ctl --help`."))
    var control: String?

    @Option(
        help: ArgumentHelp(
            "Record every connection to FILE, losslessly (JSON Lines; frames over 64 KiB in FILE.payloads).",
            discussion: "See docs/recording-format.md; read it back with `wstap view FILE`.", valueName: "file"))
    var record: String?

    @OptionGroup var capture: CaptureLimitOption
    @OptionGroup var lens: LensOption

    @Option(
        name: .customLong("rewrite"),
        help: ArgumentHelp(
            "Replace what a regular expression matches in every text message, both ways (repeatable).",
            discussion: """
                Written /FIND/REPLACE/ or /FILTER/FIND/REPLACE/: the first character is the separator, \
                FILTER a filter expression that picks the messages (docs/filters.md), FIND a regular \
                expression, REPLACE its replacement with \\1 to \\9 for groups. Rules apply in order. \
                A changed message \
                is sent masked with a fresh key (client to server) and compressed again when permessage-deflate \
                was agreed; the events show the original (replaced) and what was sent (rewritten).
                """,
            valueName: "/find/replace/"))
    var rewrites: [String] = []

    @Option(
        name: .customLong("drop"),
        help: ArgumentHelp(
            "Drop the messages a filter matches, both ways (repeatable; before --rewrite rules).",
            discussion: "FILTER is a filter expression (docs/filters.md), such as '~dir s2c & ~op ping'.",
            valueName: "filter"))
    var drops: [String] = []

    @Option(
        name: .customLong("respond"),
        help: ArgumentHelp(
            "Answer the messages a filter matches from the proxy instead of forwarding them (repeatable).",
            discussion: """
                Written FILTER=PAYLOAD, such as '~b "get_balance"={"balance":0}': the message is dropped and                 PAYLOAD goes back to its sender as a text message (hex:0a0b or b64:... for binary). Applies                 after --drop, before --rewrite.
                """,
            valueName: "filter=payload"))
    var responds: [String] = []

    @Option(
        name: .customLong("delay"),
        help: ArgumentHelp(
            "Hold the messages a filter matches for a while before they go on (repeatable).",
            discussion: """
                Written FILTER=MS, such as '~dir s2c=300' or '~b ping=1.5s' (or just MS for every message).                 Messages behind a delayed one in the same direction wait for it: the order never changes.
                """,
            valueName: "filter=ms"))
    var delays: [String] = []

    @OptionGroup(title: "Scripts") var scripts: ScriptFlags
    @OptionGroup(title: "Forward mode (no --upstream)") var forward: ForwardProxyFlags

    func run() async throws {
        var target: WebSocketURL?
        do {
            if let upstream { target = try WebSocketURL(upstream) }
        } catch {
            throw CommandFailure("--upstream: \(error.description)")
        }
        var run = ProxyRun(
            listen: listen, upstream: target,
            upstreamTLS: ClientTLSOptions(extraCAFile: upstreamCa, insecureSkipVerification: insecureUpstream),
            caDirectory: forward.ca.directory)
        run.keepsHost = keepHost
        run.framing = framing
        run.control = control
        run.record = record
        run.captureLimit = try capture.bytes()
        do {
            run.stage = try RuleStage(drops: drops, responds: responds, rewrites: rewrites, delays: delays)
        } catch {
            throw CommandFailure(error.description)
        }
        run.lenses = try lens.choice()
        run.scripts = try scripts.configurations(lenses: run.lenses)
        run.answerTimeout = lens.answerTimeout
        run.passThrough = forward.passThrough
        let showsUI = !noTui && !jsonl && !quiet && TerminalUI.isAvailable
        try await run.run(printing: showsUI ? nil : quiet ? .quiet : jsonl ? .json : .lines)
    }
}
