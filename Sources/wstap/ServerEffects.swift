import NIOConcurrencyHelpers
import WSTapCore
import WSTapNetwork
import WSTapPipeline
import WSTapRuntime
import WSTapUI

/// The connections of `wstap serve` with the terminal UI, and the UI's effects on them: `R` sends a frame
/// again to the client it went to, `o` reads a hybi-00 connection in the other framing, `r` records.
final class ServerEffects: Sendable {
    private struct Endpoint {
        var feed: EndpointTrafficFeed
        var connection: WebSocketConnection?
    }

    private struct Registry {
        var next: UInt64 = 0
        var endpoints: [UInt64: Endpoint] = [:]
        /// Connections opened but not yet handed to the handler, by the client's address.
        var waiting: [String: UInt64] = [:]
    }

    private let registry = NIOLockedValueBox(Registry())
    private let recording: RecordingSwitch
    private let inbox: UIEventInbox
    private let captureLimit: Int

    init(recording: RecordingSwitch, inbox: UIEventInbox, captureLimit: Int) {
        self.recording = recording
        self.inbox = inbox
        self.captureLimit = captureLimit
    }

    /// The wire observer of a connection that just opened: numbers it and shows its traffic.
    func observe(_ info: ConnectionInfo) -> EndpointTrafficFeed {
        let address = info.remoteAddress?.hostAndPortText ?? "?"
        let id = registry.withLockedValue { registry in
            registry.next += 1
            registry.waiting[address] = registry.next
            return registry.next
        }
        let local = info.localAddress?.hostAndPortText ?? "?"
        let feed = EndpointTrafficFeed(
            connection: id, role: .server, info: info, target: "ws://\(local)\(info.request.target)",
            consumer: TrafficEventHandler.userInterface(inbox, recording),
            captureLimit: captureLimit)
        registry.withLockedValue { $0.endpoints[id] = Endpoint(feed: feed) }
        return feed
    }

    /// Serves one connection (echo) while the UI can send on it.
    func serve(_ connection: WebSocketConnection) async {
        let address = connection.info.remoteAddress?.hostAndPortText ?? "?"
        let id = registry.withLockedValue { registry -> UInt64? in
            guard let id = registry.waiting.removeValue(forKey: address) else { return nil }
            registry.endpoints[id]?.connection = connection
            return id
        }
        await WebSocketServer.echo(connection)
        if let id { registry.withLockedValue { $0.endpoints[id] = nil } }
    }

    func perform(_ effect: UIEffect) {
        switch effect {
        case .quit, .loadFile, .searchRecording, .stopRecordingSearch:
            break
        case .inject(let id, let direction, let bytes):
            guard direction == .serverToClient else {
                inbox.add(.notice("a server sends only to its clients: pick a frame it sent (←)"))
                return
            }
            guard let connection = registry.withLockedValue({ $0.endpoints[id]?.connection }) else {
                inbox.add(.sendResult(effect, error: "connection \(id) is closed"))
                return
            }
            let inbox = self.inbox
            Task {
                do {
                    try await connection.writeRaw(bytes)
                    inbox.add(.sendResult(effect, error: nil))
                } catch {
                    inbox.add(.sendResult(effect, error: "\(error)"))
                }
            }
        case .send:
            inbox.add(.notice("a server has no client connection of its own: R sends one of its frames again"))
        case .decideHeld, .closeSide:
            inbox.add(.notice("not available in server mode"))
        case .setIntercept:
            inbox.add(.interceptChanged(false))
            inbox.add(.notice("intercept is not available in server mode"))
        case .setFraming(let id, let framing):
            registry.withLockedValue { $0.endpoints[id]?.feed }?.switchFraming(to: framing)
        case .startRecording(let path):
            recording.start(path: path, reportingTo: inbox)
        case .stopRecording:
            recording.stop(reportingTo: inbox)
        }
    }
}
