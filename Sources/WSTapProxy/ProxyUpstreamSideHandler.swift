import NIOCore
import WSTapCore
import WSTapNetwork
import WSTapPipeline

/// The upstream side of a proxied connection: sends the client's request, hands the response back
/// unchanged, and once the upgrade is accepted relays bytes while the session's tap decodes them.
final class ProxyUpstreamSideHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case response
        case relaying
        /// The upstream refused the upgrade: pass what it says to the client until it closes.
        case passingRefusal
    }

    private let session: ProxySession
    /// The request sent upstream, for the open event (let go once it is reported).
    private var request: HTTPRequestHead?
    /// The handshake bytes the client sent after its head (hybi-00's 8 key bytes), relayed unchanged.
    private let requestBody: [UInt8]
    private let variant: ProtocolVariant
    private var firstBytes: ByteBuffer
    private var phase = Phase.response
    private var received = ByteBuffer()
    private var backpressure = RelayBackpressure()
    /// The client-side handler (same event loop). Weak: its channel keeps it (see the client side's
    /// `upstream`).
    weak var client: ProxyClientSideHandler?
    /// Watches the upstream's certificate (`wss://`), to say why it was refused.
    var certificateCheck: ServerCertificateCheck?

    init(
        session: ProxySession, request: HTTPRequestHead, requestBody: [UInt8], variant: ProtocolVariant,
        firstBytes: ByteBuffer
    ) {
        self.session = session
        self.request = request
        self.requestBody = requestBody
        self.variant = variant
        self.firstBytes = firstBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        session.upstreamContext = context
        session.upstreamSide = self
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Break the session → context → handler → session cycle once the channel is gone.
        if session.upstreamContext === context { session.upstreamContext = nil }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(firstBytes), promise: nil)
        firstBytes = ByteBuffer()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        switch phase {
        case .response:
            received.writeBuffer(&buffer)
            readResponse(context: context)
        case .relaying:
            session.relay(buffer, .serverToClient)
        case .passingRefusal:
            session.clientContext?.write(wrapOutboundOut(buffer), promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        session.clientContext?.flush()
    }

    func read(context: ChannelHandlerContext) {
        backpressure.read(context: context, partnerWritable: session.mayRead(.serverToClient))
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        client?.partnerWritabilityChanged(writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    /// The client channel's writability changed.
    func partnerWritabilityChanged(writable: Bool) {
        resumeReadingIfAllowed()
    }

    /// Reads again if reading was paused and the client can take more (and not too much is held).
    func resumeReadingIfAllowed() {
        guard let context = session.upstreamContext else { return }
        backpressure.partnerWritabilityChanged(context: context, partnerWritable: session.mayRead(.serverToClient))
    }

    func channelInactive(context: ChannelHandlerContext) {
        if phase == .response {
            refuseClient(because: "the upstream \(session.options.upstream) closed the connection without answering")
        }
        session.sideClosed(.server, error: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        session.recordError(error, on: .server)
        if phase == .response {
            // Before any answer (a TLS handshake that failed, most often): the client hears why in a 502.
            refuseClient(because: Self.failureText(error, upstream: session.options.upstream, check: certificateCheck))
        }
        context.close(promise: nil)
    }

    /// Why a connection to the upstream failed before it answered, for the client's 502 and the error event.
    static func failureText(_ error: any Error, upstream: WebSocketURL, check: ServerCertificateCheck?) -> String {
        let text = NetworkErrorText.describe(error, certificate: check)
        if check?.refusal != nil {
            return "upstream \(text); use --upstream-ca FILE or --insecure-upstream"
        }
        return "cannot connect to upstream \(upstream): \(text)"
    }

    private func refuseClient(because reason: String) {
        guard let client, let context = session.clientContext else { return }
        client.refuse(because: reason, context: context)
    }

    private func readResponse(context: ChannelHandlerContext) {
        let response: HTTPResponseHead
        let headLength: Int
        do {
            guard let length = try HTTPHeadParser.headLength(in: received.readableBytesView) else { return }
            headLength = length
            response = try HTTPHeadParser.parseResponse(received.readableBytesView)
        } catch {
            session.emit(.proxyError(message: "upstream sent a bad response head: \(error)", at: TrafficClock.now()))
            session.clientContext.map { client?.respond(status: "502 Bad Gateway", body: "\(error)", context: $0) }
            context.close(promise: nil)
            return
        }
        guard response.statusCode == 101 else {
            phase = .passingRefusal
            session.emit(
                .proxyError(
                    message: "upstream refused the upgrade: \(response.statusCode) \(response.reason)",
                    at: TrafficClock.now()))
            session.clientContext?.writeAndFlush(wrapOutboundOut(received), promise: nil)
            received = ByteBuffer()
            return
        }
        // hybi-00 servers send their 16-byte answer right after the head.
        let handshakeLength = headLength + (variant == .hybi00 ? 16 : 0)
        guard received.readableBytes >= handshakeLength else { return }
        let handshake = received.readSlice(length: handshakeLength) ?? ByteBuffer()
        let extensions = (try? ExtensionOffer.parse(response.headers)) ?? []
        let deflateOffer = extensions.first { $0.name.lowercased() == PerMessageDeflateParameters.extensionName }
        let agreed = deflateOffer.flatMap { try? PerMessageDeflateParameters(parsing: $0) }
        let opened = TrafficEvent.ConnectionOpened(
            connection: session.id, clientAddress: session.clientAddress,
            target: session.options.upstream.description,
            request: request ?? HTTPRequestHead(method: "GET", target: "/"),
            response: response,
            variant: variant, framing: session.options.hybi00Framing,
            subprotocol: response.headers.first("Sec-WebSocket-Protocol"), extensions: extensions,
            at: TrafficClock.now(), requestBody: requestBody,
            responseBody: Array(handshake.readableBytesView.dropFirst(headLength)))
        let staging = session.stagedDirections(opened)
        // The stage decides on whole messages: the tap joins them for it too.
        let tap = ConnectionTap(
            connection: session.id, variant: variant, framing: session.options.hybi00Framing, compression: agreed,
            captureLimit: session.options.payloadCaptureLimit,
            joinsMessages: session.options.consumer.wantsMessages || !staging.isEmpty)
        session.reportOpened(opened)
        request = nil
        phase = .relaying
        client?.startRelaying()
        session.clientContext?.write(wrapOutboundOut(handshake), promise: nil)
        session.startRelaying(tap: tap, eventLoop: context.eventLoop, compression: agreed, staging: staging)
        client?.relayEarlyBytes()
        // Frames the server sent right behind its handshake.
        if received.readableBytes > 0 {
            session.relay(received, .serverToClient)
        }
        received = ByteBuffer()
        session.clientContext?.flush()
    }
}
