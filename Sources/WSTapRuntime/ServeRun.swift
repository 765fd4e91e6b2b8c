import NIOConcurrencyHelpers
import WSTapCore
import WSTapInspect
public import WSTapLenses
public import WSTapNetwork
import WSTapPipeline
import WSTapSession

/// `wstap serve`: the echo server, with the terminal UI on every frame of every connection, or printing a
/// line per connection and close (JSON events per frame with `--jsonl`).
public enum ServeRun {
    /// Serves on `listen` until stopped, every connection recorded to `record` if given with `captureLimit`
    /// payload bytes kept per frame in the events: with the terminal UI when `format` is `nil` (until the
    /// user quits), else printing in `format`.
    public static func run(
        listen: ListenAddress, options: ServerOptions, record: String?, captureLimit: Int,
        printing format: EventOutput.Format?, lenses: LensReader.Choice = .automatic,
        answerTimeout: Duration = .seconds(30)
    ) async throws {
        guard let format else {
            try await ServerUI.run(
                listen: listen, options: options, record: record, captureLimit: captureLimit, lenses: lenses)
            return
        }
        var options = options
        let output = EventOutput(format, lenses: lenses, answerTimeout: answerTimeout)
        let recorder = try record.map { try RecordingOption.open($0, mode: .server, notes: output.event) }
        defer { recorder?.close() }
        options.backpressure = recorder
        // The echo never blocks: on the event loop, messages and echoes do not cross threads.
        options.runsHandlersOnEventLoop = true
        let consumers: [any TrafficConsumer] =
            (format == .json ? [output.consumer] : []) + (recorder.map { [$0] } ?? [])
        if !consumers.isEmpty {
            let consumer = TrafficFanOut(consumers)
            let counter = NIOLockedValueBox<UInt64>(0)
            options.wireObserver = { info in
                let number = counter.withLockedValue {
                    $0 += 1
                    return $0
                }
                let local = info.localAddress?.hostAndPortText ?? "?"
                return EndpointTrafficFeed(
                    connection: number, role: .server, info: info, target: "ws://\(local)\(info.request.target)",
                    consumer: consumer, captureLimit: captureLimit)
            }
        }
        // The text lines; with --jsonl the events say it all.
        let printer = LinePrinter(enabled: format == .lines)
        let server: WebSocketServer
        do {
            server = try await WebSocketServer.start(host: listen.host, port: listen.port, options: options) {
                connection in
                let peer = connection.info.remoteAddress?.hostAndPortText ?? "?"
                printer.line(
                    "open \(peer) \(connection.info.requestLine) variant=\(connection.info.variant.rawValue)"
                        + (connection.info.subprotocol.map { " subprotocol=\($0)" } ?? ""))
                await WebSocketServer.echo(connection)
                printer.line("close \(peer) " + OutcomeText.describe(await connection.closeOutcome()))
            }
        } catch {
            throw CommandFailure("cannot listen on \(listen): \(NetworkErrorText.describe(error))")
        }
        output.listening(
            ListeningEvent(
                mode: .server, address: server.localAddress?.hostAndPortText ?? listen.description,
                at: SessionClock.now()))
        try await server.waitUntilStopped()
    }
}
