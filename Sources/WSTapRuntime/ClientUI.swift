import Foundation
import NIOConcurrencyHelpers
import WSTapCore
public import WSTapLenses
public import WSTapNetwork
import WSTapPipeline
import WSTapSession
import WSTapUI

/// `wstap connect` with the terminal UI: every frame both ways shows live, `s` sends a text message,
/// `R` sends a frame again, `r` records. A close from the server or a lost connection is shown, and the UI
/// stays open until the user quits; quitting closes a connection still open with 1000, Ctrl-C with 1001.
public enum ClientUI {
    /// Connects to `target` and runs the UI on the connection until the user quits (throws
    /// ``ExitStatus/interrupted`` after Ctrl-C); `record` records it from the start.
    public static func run(
        target: WebSocketURL, options: ClientOptions, record: String?, captureLimit: Int,
        lenses: LensReader.Choice = .automatic
    ) async throws {
        let inbox = UIEventInbox()
        let recording = RecordingSwitch(mode: .client, inbox: inbox)
        try recording.start(commandLine: record, reportingTo: inbox)
        defer { recording.stop() }
        let feed = NIOLockedValueBox<EndpointTrafficFeed?>(nil)
        var options = options
        let url = target.description
        options.reportsFrames = false
        options.backpressure = recording
        options.wireObserver = { info in
            let made = EndpointTrafficFeed(
                connection: 1, role: .client, info: info, target: url,
                consumer: TrafficEventHandler.userInterface(inbox, recording), captureLimit: captureLimit)
            feed.withLockedValue { $0 = made }
            return made
        }
        let connection: WebSocketConnection
        do {
            connection = try await WebSocketClient.connect(to: target, options: options)
        } catch {
            throw CommandFailure(ConnectFailureText.describe(error))
        }
        // Takes what the connection delivers (so that it keeps reading and answers the peer's close);
        // the frames themselves reach the UI through the feed.
        let events = Task {
            while let event = await connection.nextEvent() {
                switch event {
                case .keepaliveRoundTrip(let time):
                    inbox.add(.roundTrip(time))
                case .closed(let outcome):
                    inbox.add(.notice("connection closed: " + OutcomeText.describe(outcome) + " (q quits)"))
                default:
                    break
                }
            }
        }
        let effects = ClientEffects(connection: connection, feed: feed, recording: recording, inbox: inbox)
        var state = UIState(mode: .client, upstream: url, defaultFraming: options.framing, lenses: lenses)
        state.maskingKeys = MaskingKeySequence(seed: UInt64.random(in: .min ... .max))
        let ending: TerminalUI.Ending
        do {
            ending = try await TerminalUI.run(
                state, inbox: inbox, catchesInterrupt: true, perform: { effects.perform($0) })
        } catch {
            effects.finish()
            _ = try? await connection.close(code: .goingAway, reason: "")
            events.cancel()
            throw error
        }
        effects.finish()
        // q closes with 1000; Ctrl-C with 1001 (going away). Either waits for the server's answer (a second
        // Ctrl-C ends the process at once).
        let interrupted = ending == .interrupted
        if !connection.isClosed {
            _ = try? await connection.close(code: interrupted ? .goingAway : .normalClosure, reason: "")
        }
        events.cancel()
        if interrupted { throw ExitStatus.interrupted }
    }
}
