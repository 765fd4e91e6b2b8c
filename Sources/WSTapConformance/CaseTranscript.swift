import NIOCore
public import WSTapCore
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
    /// cannot be written (the case runs without it). A hybi-00 connection names its framing and the bytes that
    /// followed the heads of its handshake.
    public static func start(
        for id: String, peer: RawPeer, options: Options, variant: ProtocolVariant = .rfc6455,
        framing: Hybi00Framing = .old, bodies: (request: [UInt8], response: [UInt8]) = ([], [])
    ) async -> CaseTranscript? {
        guard let handshake = await peer.handshake,
            let transcript = open(
                id, role: peer.role, handshake: handshake, options: options, variant: variant, framing: framing,
                bodies: bodies)
        else { return nil }
        let role = peer.role
        let publisher = transcript.publisher
        await peer.observe { bytes, sent in
            let fromClient = sent == (role == .client)
            publisher.bytes(bytes, direction: fromClient ? .clientToServer : .serverToClient)
        }
        return transcript
    }

    /// Writes a connection that was not observed as it happened: `handshake`, then `sent` from the raw peer
    /// (playing `role`), then `note`. False when the file cannot be written.
    public static func write(
        for id: String, role: EndpointRole, handshake: (request: HTTPRequestHead, response: HTTPResponseHead),
        sent: [UInt8], note: String, options: Options
    ) -> Bool {
        guard let transcript = open(id, role: role, handshake: handshake, options: options) else { return false }
        var buffer = ByteBuffer()
        buffer.writeBytes(sent)
        transcript.publisher.bytes(buffer, direction: role == .client ? .clientToServer : .serverToClient)
        transcript.note(note)
        transcript.finish()
        return true
    }

    private static func open(
        _ id: String, role: EndpointRole, handshake: (request: HTTPRequestHead, response: HTTPResponseHead),
        options: Options, variant: ProtocolVariant = .rfc6455, framing: Hybi00Framing = .old,
        bodies: (request: [UInt8], response: [UInt8]) = ([], [])
    ) -> CaseTranscript? {
        let started = TrafficClock.now()
        // wstap plays the client against a server (a raw client), the server against a client.
        let mode: RecordingMode = role == .client ? .client : .server
        guard
            let recorder = try? SessionRecorder(
                path: options.path(for: id), mode: mode, wstapVersion: options.wstapVersion, startedAt: started)
        else { return nil }
        let publisher = TrafficPublisher(connection: 1, consumer: recorder, captureLimit: 64 << 20)
        // An agreed permessage-deflate goes into the recording, so that its messages are shown inflated.
        let extensions =
            handshake.response.statusCode == 101 ? (try? ExtensionOffer.parse(handshake.response.headers)) ?? [] : []
        let compression = extensions.first { $0.name.lowercased() == PerMessageDeflateParameters.extensionName }
            .flatMap { try? PerMessageDeflateParameters(parsing: $0) }
        publisher.opened(
            .init(
                connection: 1, clientAddress: "",
                target: "ws://" + (handshake.request.headers.first("Host") ?? "") + handshake.request.target,
                request: handshake.request,
                response: handshake.response, variant: variant, framing: framing,
                subprotocol: handshake.response.headers.first(SubprotocolList.headerName), extensions: extensions,
                at: started, requestBody: bodies.request, responseBody: bodies.response),
            compression: compression)
        return CaseTranscript(recorder: recorder, publisher: publisher)
    }

    /// Adds a note to the recording (a `note` event of the connection).
    public func note(_ text: String) {
        recorder.record(.note(connection: 1, text: text, at: TrafficClock.now()))
    }

    /// Records the close and finishes the file.
    public func finish() {
        publisher.closed()
        recorder.close()
    }
}
