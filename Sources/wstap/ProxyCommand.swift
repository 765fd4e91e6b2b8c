import ArgumentParser
import Foundation
import WSTapCore
import WSTapInspect
import WSTapNetwork
import WSTapPipeline
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
            Every byte is forwarded unchanged, invalid frames included; frames are decoded on the side. \
            In a terminal the UI opens (? lists its keys): x opens the frame composer to handcraft a frame \
            and inject it into either direction, e edits the selected or a held frame in it. Ctrl-C (or TERM \
            without the UI) stops it cleanly: the recording finished, the control socket removed.

            Examples:
              wstap proxy --listen 127.0.0.1:8080 --upstream ws://127.0.0.1:9001 --no-tui
              wstap proxy --listen 127.0.0.1:8080 --no-tui          # forward proxy
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

    @Flag(help: "Print events as JSON lines (docs/json-events.md): standard output carries nothing else.")
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

    @OptionGroup var capture: CaptureLimitOption

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
        let output = EventOutput(quiet ? .quiet : (jsonl ? .json : .lines))
        let recorder = try record.map { try RecordingOption.open($0, mode: .proxy) }
        var options = ProxyOptions(
            upstream: try target ?? ForwardProxyFlags.unusedUpstream(),
            upstreamTLS: ClientTLSOptions(extraCAFile: upstreamCa, insecureSkipVerification: insecureUpstream),
            hybi00Framing: framing, payloadCaptureLimit: try capture.bytes(),
            // -q: frames are still decoded by the tap, but nothing is formatted.
            consumer: TrafficFanOut((recorder.map { [$0] } ?? []) + [TrafficEventHandler { output.event($0) }]))
        options.keepsHost = keepHost
        guard let target else {
            try await forward.run(relay: options, listen: listen, control: control, output: output)
            recorder?.close()
            return
        }
        let proxy: ReverseProxy
        do {
            proxy = try await ReverseProxy.start(host: listen.host, port: listen.port, options: options)
        } catch {
            throw CommandFailure("cannot listen on \(listen): \(NetworkErrorText.describe(error))")
        }
        if listen.host == "0.0.0.0" || listen.host == "::" {
            output.warning("listening on all interfaces; anyone who can reach this machine can use the proxy")
        }
        var controlServer: ProxyControlServer?
        if let control {
            do {
                controlServer = try await ProxyControlServer.start(path: control, controller: proxy.controller)
            } catch {
                try? await proxy.stop()
                throw CommandFailure("--control: cannot listen on \(control): \(NetworkErrorText.describe(error))")
            }
        }
        output.listening(
            ListeningEvent(
                mode: .reverseProxy, address: proxy.localAddress?.hostAndPortText ?? listen.description,
                upstream: target.description, control: control, at: SessionClock.now()))
        // Ctrl-C or TERM: stop listening, remove the control socket, finish the recording, exit 0.
        let signals = TerminationSignals { _ in Task { try? await proxy.stop() } }
        defer { signals.cancel() }
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
            hybi00Framing: framing, payloadCaptureLimit: try capture.bytes(),
            consumer: TrafficEventHandler.userInterface(inbox, recording))
        options.keepsHost = keepHost
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
                throw CommandFailure("cannot listen on \(listen): \(NetworkErrorText.describe(error))")
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
                throw CommandFailure("--control: cannot listen on \(control): \(NetworkErrorText.describe(error))")
            }
        }
        // Ctrl-C quits like q (the control socket removed, the recording finished), then exits 130.
        let ending: TerminalUI.Ending
        do {
            ending = try await TerminalUI.run(
                state, inbox: inbox, catchesInterrupt: true,
                perform: ProxyEffects.performer(controller: controller, recording: recording, inbox: inbox))
        } catch {
            try? await controlServer?.stop()
            await stop()
            throw error
        }
        try? await controlServer?.stop()
        await stop()
        if ending == .interrupted { throw ExitCode(128 + SIGINT) }
    }
}
