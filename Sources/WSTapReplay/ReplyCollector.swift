import NIOCore
import WSTapCore
import WSTapExport
import WSTapPipeline

/// What the replaying client has seen from the server: the handshake response, then every frame,
/// decoded on the side (the tap also takes what the client sends, so the events show both ways).
actor ReplyCollector {
    private let connection: UInt64
    private let responseBodyLength: Int
    private let events: @Sendable (TrafficEvent) -> Void
    private var pending = ByteBuffer()
    private(set) var response: (head: HTTPResponseHead, body: [UInt8])?
    private(set) var responseError: String?
    private var tap: ConnectionTap?
    private var reassembler: MessageReassembler?
    private(set) var replies: [RecordedMessage] = []
    /// How many of the replies are data messages or closes.
    private(set) var conversationalReplyCount = 0
    /// Whether the server ended the connection (or it failed).
    private(set) var ended = false
    private(set) var sawServerClose = false

    init(connection: UInt64, responseBodyLength: Int, events: @escaping @Sendable (TrafficEvent) -> Void) {
        self.connection = connection
        self.responseBodyLength = responseBodyLength
        self.events = events
    }

    /// Bytes from the server.
    func received(_ bytes: ByteBuffer) {
        var bytes = bytes
        pending.writeBuffer(&bytes)
        if response == nil, responseError == nil {
            readResponse()
        }
        guard tap != nil, pending.readableBytes > 0 else { return }
        let chunk = pending
        pending = ByteBuffer()
        feed(chunk, .serverToClient)
    }

    /// Bytes the client sent, for the events.
    func sent(_ bytes: ByteBuffer) {
        feed(bytes, .clientToServer)
    }

    /// The handshake was accepted: decode frames from now on (what already arrived first).
    func startFrames(variant: ProtocolVariant, framing: Hybi00Framing, deflate: PerMessageDeflateParameters?) {
        // Every byte kept: the replies are compared whole with the recording.
        tap = ConnectionTap(
            connection: connection, variant: variant, framing: framing, compression: deflate, captureLimit: Int.max)
        reassembler = MessageReassembler(direction: .serverToClient, deflate: deflate)
        if pending.readableBytes > 0 {
            let chunk = pending
            pending = ByteBuffer()
            feed(chunk, .serverToClient)
        }
    }

    /// Why the connection failed (a reset, a TLS error), if it did.
    private(set) var failure: String?

    /// The connection failed.
    func fail(_ description: String) {
        if failure == nil { failure = description }
    }

    /// The server's side ended.
    func end() {
        ended = true
        let sink = events
        tap?.finish(at: TrafficClock.now()) { sink($0) }
        if let last = reassembler?.finish() {
            replies.append(last)
            conversationalReplyCount += 1
        }
    }

    /// The close report for the events.
    func closedEvent(closedBy: EndpointRole?) -> TrafficEvent {
        .connectionClosed(
            .init(
                connection: connection, closedBy: closedBy, clientCloseCode: tap?.clientCloseCode,
                serverCloseCode: tap?.serverCloseCode, closeReason: tap?.closeReason ?? "",
                wasClean: tap?.sawBothCloses ?? false, error: nil, at: TrafficClock.now()))
    }

    private func readResponse() {
        do {
            guard let length = try HTTPHeadParser.headLength(in: pending.readableBytesView),
                pending.readableBytes >= length + responseBodyLength
            else { return }
            let head = try HTTPHeadParser.parseResponse(pending.readableBytesView.prefix(length))
            pending.moveReaderIndex(forwardBy: length)
            let body = pending.readBytes(length: head.statusCode == 101 ? responseBodyLength : 0) ?? []
            response = (head, body)
        } catch {
            responseError = "\(error)"
        }
    }

    private func feed(_ bytes: ByteBuffer, _ direction: TrafficDirection) {
        let sink = events
        var frames: [TrafficEvent.FrameSeen] = []
        tap?.bytes(bytes, direction: direction, at: TrafficClock.now()) { event in
            if case .frame(let frame) = event { frames.append(frame) }
            sink(event)
        }
        guard direction == .serverToClient, let reassembler else { return }
        for frame in frames {
            let messages = reassembler.push(frame.content, at: frame.at)
            if messages.contains(where: { $0.opcode == .close }) { sawServerClose = true }
            conversationalReplyCount += messages.count(where: \.isConversational)
            replies += messages
        }
    }
}
