import WSTapCore
import WSTapPipeline
public import WSTapSession

/// A case's connection written as a wstap recording (docs/recording-format.md), which `wstap view` opens: the
/// opening handshake, every frame both ways exactly as on the wire (the deliberately broken ones too), the close.
public struct CaseTranscript: Sendable {
    /// Where the transcripts go, and what they say wrote them.
    public struct Options: Sendable {
        /// The folder: one file per case, `ID.jsonl`.
        public var folder: String
        /// The wstap version the header names.
        public var wstapVersion: String

        /// Options that write into `folder`.
        public init(folder: String, wstapVersion: String) {
            self.folder = folder
            self.wstapVersion = wstapVersion
        }

        /// The file of the case with this id.
        public func path(for id: String) -> String {
            (folder.hasSuffix("/") ? folder : folder + "/") + id + ".jsonl"
        }
    }

    private let recorder: SessionRecorder
    private let publisher: TrafficPublisher

    /// Starts recording `peer`'s connection (after its handshake) to the case's file; `nil` when the file
    /// cannot be written (the case runs without it).
    public static func start(for id: String, peer: RawPeer, options: Options) async -> CaseTranscript? {
        guard let handshake = await peer.handshake else { return nil }
        let started = TrafficClock.now()
        // wstap plays the client against a server (a raw client), the server against a client.
        let mode: RecordingMode = peer.role == .client ? .client : .server
        guard
            let recorder = try? SessionRecorder(
                path: options.path(for: id), mode: mode, wstapVersion: options.wstapVersion, startedAt: started)
        else { return nil }
        let publisher = TrafficPublisher(connection: 1, consumer: recorder, captureLimit: 64 << 20)
        publisher.opened(
            .init(
                connection: 1, clientAddress: "",
                target: "ws://" + (handshake.request.headers.first("Host") ?? "") + handshake.request.target,
                request: handshake.request,
                response: handshake.response, variant: .rfc6455, framing: .old, subprotocol: nil, extensions: [],
                at: started),
            compression: nil)
        let role = peer.role
        await peer.observe { bytes, sent in
            let fromClient = sent == (role == .client)
            publisher.bytes(bytes, direction: fromClient ? .clientToServer : .serverToClient)
        }
        return CaseTranscript(recorder: recorder, publisher: publisher)
    }

    /// Records the close and finishes the file.
    public func finish() {
        publisher.closed()
        recorder.close()
    }
}
