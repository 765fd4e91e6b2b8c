import NIOConcurrencyHelpers
import WSTapCore
import WSTapNetwork
import WSTapPipeline
import WSTapRuntime
import WSTapUI

/// Carries out the UI's effects on the one connection of `wstap connect`, and reports back to the UI.
/// Bytes to send go out one after the other, in the order the UI asked.
final class ClientEffects: Sendable {
    private let connection: WebSocketConnection
    private let feed: NIOLockedValueBox<EndpointTrafficFeed?>
    private let recording: RecordingSwitch
    private let inbox: UIEventInbox
    private let outgoing: AsyncStream<[UInt8]>.Continuation
    private let writer: Task<Void, Never>

    init(
        connection: WebSocketConnection, feed: NIOLockedValueBox<EndpointTrafficFeed?>, recording: RecordingSwitch,
        inbox: UIEventInbox
    ) {
        self.connection = connection
        self.feed = feed
        self.recording = recording
        self.inbox = inbox
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        outgoing = continuation
        writer = Task {
            for await bytes in stream {
                guard !connection.isClosed else {
                    inbox.add(
                        .sendResult(
                            .send(bytes: bytes),
                            error: "the connection is closed: \(CountWords.of(bytes.count, "byte")) not sent"))
                    continue
                }
                do {
                    try await connection.writeRaw(bytes)
                    inbox.add(.sendResult(.send(bytes: bytes), error: nil))
                } catch {
                    inbox.add(.sendResult(.send(bytes: bytes), error: "\(error)"))
                }
            }
        }
    }

    /// Stops taking bytes to send.
    func finish() {
        outgoing.finish()
        writer.cancel()
    }

    func perform(_ effect: UIEffect) {
        switch effect {
        case .quit, .loadFile, .searchRecording, .stopRecordingSearch:
            break
        case .send(let bytes):
            outgoing.yield(bytes)
        case .inject, .decideHeld, .closeSide:
            inbox.add(.notice("not available in client mode: there is no proxied connection (s or R sends)"))
        case .setIntercept:
            inbox.add(.interceptChanged(false))
            inbox.add(.notice("intercept is not available in client mode"))
        case .setFraming(_, let framing):
            feed.withLockedValue({ $0 })?.switchFraming(to: framing)
            let connection = self.connection
            Task { await connection.switchHybi00Framing(to: framing) }
        case .startRecording(let path):
            recording.start(path: path, reportingTo: inbox)
        case .stopRecording:
            recording.stop(reportingTo: inbox)
        }
    }
}
