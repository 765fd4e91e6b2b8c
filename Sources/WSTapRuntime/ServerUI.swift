import WSTapLenses
import WSTapNetwork
import WSTapSession
import WSTapUI

/// `wstap serve` with the terminal UI: the echo server, and every frame of every connection live.
enum ServerUI {
    /// Serves on `listen` and runs the UI until the user quits; `record` records every connection from the
    /// start.
    static func run(
        listen: ListenAddress, options: ServerOptions, record: String?, captureLimit: Int,
        lenses: LensReader.Choice = .automatic
    ) async throws {
        let inbox = UIEventInbox()
        let recording = RecordingSwitch(mode: .server, inbox: inbox)
        try recording.start(commandLine: record, reportingTo: inbox)
        defer { recording.stop() }
        let effects = ServerEffects(recording: recording, inbox: inbox, captureLimit: captureLimit)
        var options = options
        options.wireObserver = { effects.observe($0) }
        options.backpressure = recording
        let server: WebSocketServer
        do {
            server = try await WebSocketServer.start(host: listen.host, port: listen.port, options: options) {
                await effects.serve($0)
            }
        } catch {
            throw CommandFailure("cannot listen on \(listen): \(NetworkErrorText.describe(error))")
        }
        let state = UIState(
            mode: .server, listenAddress: server.localAddress?.hostAndPortText ?? listen.description,
            defaultFraming: options.hybi00Framing, lenses: lenses)
        do {
            try await TerminalUI.run(state, inbox: inbox, perform: { effects.perform($0) })
        } catch {
            try? await server.stop()
            throw error
        }
        try? await server.stop()
    }
}
