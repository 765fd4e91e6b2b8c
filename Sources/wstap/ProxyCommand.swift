import ArgumentParser
import WSTapCore
import WSTapInspect
import WSTapNetwork
import WSTapProxy
import WSTapSession
import WSTapUI

/// `wstap proxy`: a reverse or forward proxy that shows every frame passing through, in the terminal UI
/// or as lines.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Relay WebSocket connections and show every frame (reverse proxy, or forward without --upstream).",
        discussion: """
            Every byte is forwarded unchanged, invalid frames included; frames are decoded on the side.
            Reverse: wstap proxy --listen 127.0.0.1:8080 --upstream ws://127.0.0.1:9001 --no-tui
            Forward: wstap proxy --listen 127.0.0.1:8080 --no-tui
            (clients use http://127.0.0.1:8080 as their HTTP proxy and trust the CA of `wstap ca export`)
            In a terminal the UI opens (? lists its keys): x opens the frame composer to handcraft a frame
            and inject it into either direction, e edits the selected or a held frame in it.
            """
    )

    @Option(help: "host:port to listen on (127.0.0.1 unless given).")
    var listen = ListenAddress(host: "127.0.0.1", port: 8080)

    @Option(
        help: "ws:// or wss:// URL of the server (its path is a prefix for every request path); none: forward proxy.")
    var upstream: String?

    @Option(help: "A PEM file of CA certificates to trust for a wss:// upstream (forward mode: for every TLS server).")
    var upstreamCa: String?

    @Flag(help: "Do not verify the upstream's certificate (insecure).")
    var insecureUpstream = false

    @Flag(
        help: ArgumentHelp(
            "Send the client's Host header upstream unchanged (reverse mode).",
            discussion:
                "By default Host names the upstream, and an Origin that names the proxy becomes the upstream's origin."
        ))
    var keepHost = false

    @Option(help: "hybi-00 framing: old or new.")
    var framing: Hybi00Framing = .old

    @Flag(help: "Print one line per event instead of opening the terminal UI.")
    var noTui = false

    @Flag(help: "Print events as JSON lines.")
    var jsonl = false

    @Flag(name: .shortAndLong, help: "Print no events (frames are still decoded).")
    var quiet = false

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

    @OptionGroup(title: "Forward mode (no --upstream)") var forward: ForwardProxyFlags

    func run() async throws {
        var target: WebSocketURL?
        do {
            if let upstream { target = try WebSocketURL(upstream) }
        } catch {
            throw CommandFailure("--upstream: \(error.description)")
        }
        if keepHost, target == nil {
            throw CommandFailure("--keep-host is for the reverse proxy: give --upstream too")
        }
        if !noTui, !jsonl, !quiet, TerminalUI.isAvailable {
            try await runWithUI(target: target)
            return
        }
        let printer = LinePrinter(enabled: !quiet)
        let json = jsonl
        let quiet = self.quiet
        let recorder = try record.map { try RecordingOption.open($0, mode: .proxy) }
        var options = ProxyOptions(
            upstream: try target ?? ForwardProxyFlags.unusedUpstream(),
            upstreamTLS: ClientTLSOptions(extraCAFile: upstreamCa, insecureSkipVerification: insecureUpstream),
            hybi00Framing: framing,
            events: { event in
                recorder?.record(event)
                // -q: frames are still decoded by the tap, but nothing is formatted.
                guard !quiet else { return }
                printer.line(json ? TrafficEventDescription.json(event) : TrafficEventDescription.line(event))
            })
        options.keepsHost = keepHost
        if let recorder {
            options.relayedBytes = { connection, direction, bytes in
                recorder.recordStreamBytes(bytes, connection: connection, direction: direction)
            }
        }
        guard let target else {
            try await forward.run(relay: options, listen: listen, control: control, printer: printer)
            recorder?.close()
            return
        }
        let proxy: ReverseProxy
        do {
            proxy = try await ReverseProxy.start(host: listen.host, port: listen.port, options: options)
        } catch {
            throw CommandFailure("cannot listen on \(listen): \(error)")
        }
        if listen.host == "0.0.0.0" || listen.host == "::" {
            printer.line("warning: listening on all interfaces; anyone who can reach this machine can use the proxy")
        }
        printer.line("listening on \(proxy.localAddress?.hostAndPortText ?? listen.description) → \(target)")
        var controlServer: ProxyControlServer?
        if let control {
            do {
                controlServer = try await ProxyControlServer.start(path: control, controller: proxy.controller)
            } catch {
                throw CommandFailure("--control: cannot listen on \(control): \(error)")
            }
            printer.line("control socket \(control)")
        }
        try await proxy.waitUntilStopped()
        try? await controlServer?.stop()
        recorder?.close()
    }

    /// The proxy (reverse with a target, forward without) with the terminal UI on its events; returns when
    /// the user quits.
    private func runWithUI(target: WebSocketURL?) async throws {
        let inbox = UIEventInbox()
        let recording = RecordingSwitch()
        var options = ProxyOptions(
            upstream: try target ?? ForwardProxyFlags.unusedUpstream(),
            upstreamTLS: ClientTLSOptions(extraCAFile: upstreamCa, insecureSkipVerification: insecureUpstream),
            hybi00Framing: framing,
            events: { event in
                recording.record(event)
                inbox.add(event)
            })
        options.keepsHost = keepHost
        options.relayedBytes = { connection, direction, bytes in
            recording.recordStreamBytes(bytes, connection: connection, direction: direction)
        }
        if let record {
            try recording.start(path: record, fromStreamStart: true)
            inbox.add(.recordingChanged(path: record))
        }
        defer { recording.stop() }
        let controller: ProxyController
        let stop: @Sendable () async -> Void
        var state: UIState
        if let target {
            let proxy: ReverseProxy
            do {
                proxy = try await ReverseProxy.start(host: listen.host, port: listen.port, options: options)
            } catch {
                throw CommandFailure("cannot listen on \(listen): \(error)")
            }
            (controller, stop) = (proxy.controller, { try? await proxy.stop() })
            state = UIState(
                mode: .proxy, listenAddress: proxy.localAddress?.hostAndPortText ?? listen.description,
                upstream: target.description, defaultFraming: framing)
        } else {
            let (proxy, authority) = try await forward.start(relay: options, listen: listen)
            (controller, stop) = (proxy.controller, { try? await proxy.stop() })
            state = UIState(
                mode: .forward, listenAddress: proxy.localAddress?.hostAndPortText ?? listen.description,
                upstream: authority.directory, defaultFraming: framing)
            if authority.wasCreated {
                inbox.add(.notice("made a new CA: clients must trust \(authority.certificatePath)"))
            }
        }
        var controlServer: ProxyControlServer?
        if let control {
            do {
                controlServer = try await ProxyControlServer.start(path: control, controller: controller)
            } catch {
                await stop()
                throw CommandFailure("--control: cannot listen on \(control): \(error)")
            }
        }
        defer { if let controlServer { Task { try? await controlServer.stop() } } }
        do {
            try await TerminalUI.run(
                state, inbox: inbox,
                perform: ProxyEffects.performer(controller: controller, recording: recording, inbox: inbox))
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}
