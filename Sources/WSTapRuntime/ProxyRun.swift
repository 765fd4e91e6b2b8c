import NIOCore
public import WSTapCore
import WSTapInspect
public import WSTapLenses
public import WSTapNetwork
public import WSTapPipeline
import WSTapProxy
public import WSTapScript
import WSTapSession
import WSTapUI

/// `wstap proxy`: the reverse proxy (with an upstream) or the forward proxy (without), with the terminal UI on
/// its events or printing them, until the user quits, or Ctrl-C or TERM stop it cleanly (the recording
/// finished, the control socket removed).
public struct ProxyRun: Sendable {
    /// Where to listen.
    public var listen: ListenAddress
    /// The server of the reverse proxy; `nil`: a forward proxy.
    public var upstream: WebSocketURL?
    /// How to verify a wss:// upstream (forward mode: every TLS server).
    public var upstreamTLS: ClientTLSOptions
    /// Whether the client's `Host` (and `Origin`) go upstream unchanged (reverse mode).
    public var keepsHost = false
    /// hybi-00 framing of new connections.
    public var framing: Hybi00Framing = .old
    /// The path of a control socket to listen on (`wstap ctl`).
    public var control: String?
    /// A file to record every connection to.
    public var record: String?
    /// Forward mode: hosts whose CONNECTs are tunnelled untouched (globs).
    public var passThrough: [String] = []
    /// Forward mode: the folder of the interception CA.
    public var caDirectory: String
    /// Payload bytes kept per frame and per message in the events (`--capture-limit`).
    public var captureLimit = ConnectionTap.defaultCaptureLimit
    /// What may change messages between the two sides (`--rewrite` rules); `nil`: bytes pass unchanged.
    public var stage: (any TrafficStage)?
    /// Programs that change messages after the rules (`--script`), in order.
    public var scripts: [ScriptStage.Configuration] = []
    /// Which lenses read the messages printed and shown (`--lens`).
    public var lenses = LensReader.Choice.automatic
    /// How long a request waits for its answer before it is told unanswered (`--answer-timeout`).
    public var answerTimeout: Duration = .seconds(30)

    /// A run of a proxy on `listen`: reverse to `upstream`, or forward without one.
    public init(listen: ListenAddress, upstream: WebSocketURL?, upstreamTLS: ClientTLSOptions, caDirectory: String) {
        self.listen = listen
        self.upstream = upstream
        self.upstreamTLS = upstreamTLS
        self.caDirectory = caDirectory
    }

    /// Runs the proxy until it stops: with the terminal UI when `output` is `nil` (throws
    /// ``ExitStatus/interrupted`` after Ctrl-C there), else printing its events in `output`'s format until
    /// Ctrl-C or TERM.
    public func run(printing output: EventOutput.Format?) async throws {
        guard let output else {
            try checkModes()
            try await runWithUI()
            return
        }
        let running = try await start(printing: output)
        // Ctrl-C or TERM: stop listening, remove the control socket, finish the recording, exit 0.
        let signals = TerminationSignals { _ in Task { await running.stop() } }
        defer { signals.cancel() }
        try await running.waitUntilStopped()
    }

    /// Starts the proxy printing its events in `format` (and recording them, with ``record``); it runs until
    /// ``PrintingProxy/stop()``.
    public func start(printing format: EventOutput.Format) async throws -> PrintingProxy {
        try checkModes()
        let output = EventOutput(format, lenses: lenses, answerTimeout: answerTimeout)
        let recorder = try record.map { try RecordingOption.open($0, mode: .proxy, notes: output.event) }
        // A script's reports wait until the proxy said where it listens.
        let reports = HeldReports { output.note($0) }
        let scriptStages = await startScripts(report: reports.report)
        do {
            // -q: frames are still decoded by the tap (intercept and the control socket need them); only the
            // recorder, if any, takes them.
            var options = try relayOptions(
                consumer: TrafficFanOut.combining(
                    (recorder.map { [$0] } ?? []) + (format == .quiet ? [] : [output.consumer])
                ), scripts: scriptStages)
            options.backpressure = recorder
            let (proxy, authority) = try await start(options)
            if listen.host == "0.0.0.0" || listen.host == "::" {
                output.warning("listening on all interfaces; anyone who can reach this machine can use the proxy")
            }
            let controlServer = try await startControl(for: proxy)
            let address = proxy.localAddress?.hostAndPortText ?? listen.description
            if let authority {
                output.listening(
                    ListeningEvent(
                        mode: .forwardProxy, address: address, caCertificate: authority.certificatePath,
                        caCreated: authority.wasCreated, control: control, at: SessionClock.now()))
            } else {
                output.listening(
                    ListeningEvent(
                        mode: .reverseProxy, address: address, upstream: upstream?.description, control: control,
                        at: SessionClock.now()))
            }
            reports.open()
            return PrintingProxy(
                proxy: proxy, controlServer: controlServer, recorder: recorder,
                finish: {
                    for script in scriptStages {
                        script.stop()
                        output.note(script.summary)
                    }
                })
        } catch {
            for script in scriptStages { script.stop() }
            recorder?.close()
            throw error
        }
    }

    /// The flags of one mode are not given to the other.
    private func checkModes() throws {
        if keepsHost, upstream == nil {
            throw CommandFailure("--keep-host is for the reverse proxy: give --upstream too")
        }
    }

    private func runWithUI() async throws {
        let inbox = UIEventInbox()
        let recording = RecordingSwitch(inbox: inbox)
        let scriptStages = await startScripts { inbox.add(.notice($0)) }
        defer { for script in scriptStages { script.stop() } }
        var options = try relayOptions(
            consumer: TrafficEventHandler.userInterface(inbox, recording), scripts: scriptStages)
        options.backpressure = recording
        try recording.start(commandLine: record, reportingTo: inbox)
        defer { recording.stop() }
        let (proxy, authority) = try await start(options)
        let address = proxy.localAddress?.hostAndPortText ?? listen.description
        let state: UIState
        if let authority {
            state = UIState(
                mode: .forward, listenAddress: address, upstream: authority.directory, defaultFraming: framing,
                lenses: lenses, answerTimeoutNanoseconds: EventOutput.nanoseconds(answerTimeout))
            if authority.wasCreated {
                inbox.add(.notice("made a new CA: clients must trust \(authority.certificatePath)"))
            }
        } else {
            state = UIState(
                mode: .proxy, listenAddress: address, upstream: upstream?.description ?? "", defaultFraming: framing,
                lenses: lenses, answerTimeoutNanoseconds: EventOutput.nanoseconds(answerTimeout))
        }
        let controlServer = try await startControl(for: proxy)
        // Ctrl-C quits like q (the control socket removed, the recording finished), then exits 130.
        let ending: TerminalUI.Ending
        do {
            ending = try await TerminalUI.run(
                state, inbox: inbox, catchesInterrupt: true,
                perform: ProxyEffects.performer(controller: proxy.controller, recording: recording, inbox: inbox))
        } catch {
            try? await controlServer?.stop()
            try? await proxy.stop()
            throw error
        }
        try? await controlServer?.stop()
        try? await proxy.stop()
        if ending == .interrupted { throw ExitStatus.interrupted }
    }

    /// The scripts, started, reporting what happens to them to `report`.
    private func startScripts(report: @escaping @Sendable (String) -> Void) async -> [ScriptStage] {
        var stages: [ScriptStage] = []
        for configuration in scripts {
            let stage = ScriptStage(configuration, report: report)
            await stage.start()
            stages.append(stage)
        }
        return stages
    }

    /// The relay's options, its traffic to `consumer`, changed by the rules' stage and then `scripts`.
    private func relayOptions(consumer: any TrafficConsumer, scripts: [ScriptStage] = []) throws -> ProxyOptions {
        // In forward mode each request names its own server: the upstream given here is a stand-in.
        var options = ProxyOptions(
            upstream: try upstream ?? WebSocketURL("ws://127.0.0.1/"), upstreamTLS: upstreamTLS,
            hybi00Framing: framing, payloadCaptureLimit: captureLimit, consumer: consumer)
        options.keepsHost = keepsHost
        let stages = (stage.map { [$0] } ?? []) + scripts.map { $0 as any TrafficStage }
        options.stage = stages.count > 1 ? StageChain(stages) : stages.first
        return options
    }

    /// Starts the proxy: reverse with an upstream; forward without, with its CA (made first when its folder
    /// has none).
    private func start(_ relay: ProxyOptions) async throws -> (ListeningProxy, CertificateAuthority?) {
        let authority = upstream == nil ? try CARun.loadOrCreate(directory: caDirectory) : nil
        do {
            guard let authority else {
                return (try await ReverseProxy.start(host: listen.host, port: listen.port, options: relay), nil)
            }
            let options = ForwardProxyOptions(
                relay: relay, certificateAuthority: authority, passThrough: passThrough.map(HostPattern.init))
            return (try await ForwardProxy.start(host: listen.host, port: listen.port, options: options), authority)
        } catch {
            throw CommandFailure("cannot listen on \(listen): \(NetworkErrorText.describe(error))")
        }
    }

    /// The control socket, if one was asked for; when it cannot listen, the proxy stops.
    private func startControl(for proxy: ListeningProxy) async throws -> ProxyControlServer? {
        guard let control else { return nil }
        do {
            return try await ProxyControlServer.start(path: control, controller: proxy.controller)
        } catch {
            try? await proxy.stop()
            throw CommandFailure("--control: cannot listen on \(control): \(NetworkErrorText.describe(error))")
        }
    }
}
