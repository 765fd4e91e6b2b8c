import NIOCore
import WSTapCompression
import WSTapCore

/// The thin NIO layer around ``ConnectionStateMachine``: it runs the opening handshake, feeds received
/// bytes to the machine, carries out the actions it returns, and runs the close, idle and keepalive timers.
/// It holds back reads from the socket while the inbox holds more than its limit, and while a consumer of
/// the traffic (the recorder) is behind (backpressure).
final class WebSocketChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case handshaking
        case open
        case finished
    }

    struct Settings {
        var maxMessageSize: Int
        var closeTimeout: TimeAmount
        var idleTimeout: TimeAmount?
        var reportsFrames: Bool
        /// Send a keepalive ping this often (RFC 6455 only); `nil`: never.
        var keepaliveInterval: TimeAmount?
        var wireObserver: ConnectionWireObserverFactory? = nil
        /// How long a peer's close, or the failure for its violation, waits at most for the user to take
        /// the messages before it (capped by ``closeTimeout``).
        var answerGrace: TimeAmount = .seconds(1)
        /// Streamed messages go out in frames of at most this many payload bytes, and inflated streamed
        /// messages come in in chunks of at most this many bytes.
        var streamBufferSize: Int = 65536
        /// A consumer of the traffic that can fall behind (the recorder): no reads while it is.
        var backpressure: (any TrafficBackpressure)? = nil
    }

    private let plan: HandshakePlan
    private let settings: Settings
    private let inbox: ConnectionInbox
    private let roundTrips: RoundTripLog
    private let established: EventLoopPromise<ConnectionInfo>
    /// Completed when the connection has closed, with how it ended.
    let closed: EventLoopPromise<CloseOutcome>

    private var phase = Phase.handshaking
    private var context: ChannelHandlerContext?
    private var received = ByteBuffer()
    private var machine: ConnectionStateMachine?
    private var generator = SystemRandomNumberGenerator()
    private var closeTimer: Scheduled<Void>?
    private var idleCheck: Scheduled<Void>?
    private var graceTimer: Scheduled<Void>?
    private var lastRead = NIODeadline.now()
    private var transportError: String?
    /// Watches the server's certificate on a `wss://` client connection, to say why it was refused.
    var certificateCheck: ServerCertificateCheck?
    /// permessage-deflate, when agreed: this end's compressor and the peer's decompressor.
    private var compressor: PerMessageDeflateCompressor?
    private var decompressor: PerMessageDeflateDecompressor?
    private var requestSent = false
    /// A message being sent from an async sequence (``beginStream(opcode:)``).
    private var outgoingStream: OutgoingStream?

    private struct OutgoingStream {
        var opcode: Opcode
        /// Payload bytes (compressed, with permessage-deflate) not yet sent in a frame.
        var pending = ByteBuffer()
        /// Whether its first frame went out (the next ones are continuations).
        var framesSent = false
    }
    /// A response refusing the upgrade, and its head's length, while the start of its body is awaited.
    private var refusal: (HTTPResponseHead, Int)?
    private var refusalTimer: Scheduled<Void>?
    private var keepalive = KeepalivePings()
    private var keepaliveTimer: Scheduled<Void>?
    /// Ends TCP if the peer has not, once this end has closed its side (see ``endTransport(context:)``).
    private var drainTimer: Scheduled<Void>?
    /// At most this long a connection that ended its side reads (and drops) what the peer still sends.
    static let drainLimit = TimeAmount.seconds(2)
    /// A read the channel asked for while the inbox was over its limit (or the consumer behind): done once
    /// it drains (or the consumer caught up).
    private var readHeldBack = false
    /// Whether it asked the consumer to say when it has caught up, and has not heard yet.
    private var waitsForConsumer = false
    /// Sees the bytes each way once the connection is open, when the options asked for it.
    private var wireObserver: (any ConnectionWireObserver)?

    init(
        plan: HandshakePlan, settings: Settings, inbox: ConnectionInbox, roundTrips: RoundTripLog,
        established: EventLoopPromise<ConnectionInfo>, closed: EventLoopPromise<CloseOutcome>
    ) {
        self.plan = plan
        self.settings = settings
        self.inbox = inbox
        self.roundTrips = roundTrips
        self.established = established
        self.closed = closed
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { sendClientRequest(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        sendClientRequest(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        switch phase {
        case .handshaking:
            received.writeBuffer(&buffer)
            continueHandshake(context: context)
        case .open:
            lastRead = .now()
            wireObserver?.received(buffer)
            let actions = machine?.bytesReceived(buffer, using: &generator) ?? []
            perform(actions, context: context)
        case .finished:
            break
        }
    }

    /// Writes from outside the handler (``WebSocketConnection/writeRaw(_:)``): the wire observer sees them
    /// too, in the order they go out. The handler's own writes start below it and do not pass here.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        wireObserver?.sent(unwrapOutboundIn(data))
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch phase {
        case .handshaking:
            if let (response, headLength) = refusal {
                // The refusal's body ended with the connection.
                failHandshake(refusalFailure(response, headLength: headLength), context: context)
                break
            }
            phase = .finished
            let detail = transportError.map { ": \($0)" } ?? ""
            established.fail(HandshakeFailure("the connection closed during the opening handshake\(detail)"))
            closed.fail(HandshakeFailure("the connection never opened"))
        case .open:
            let actions = machine?.transportClosed(error: transportError) ?? []
            perform(actions, context: context)
        case .finished:
            break
        }
        cancelTimers()
        drainTimer?.cancel()
        drainTimer = nil
        context.fireChannelInactive()
    }

    /// Reads go on while the inbox has room and the consumer of the traffic keeps up, and while the
    /// connection is closing (the peer's close must be read); otherwise the read waits until the user has
    /// taken enough events, or the consumer has caught up.
    func read(context: ChannelHandlerContext) {
        if phase == .open, machine?.state == .open, inbox.isOverLimit || consumerIsBehind(context: context) {
            readHeldBack = true
        } else {
            context.read()
        }
    }

    /// Whether the consumer of the traffic is behind; if so, the read held back is done once it catches up.
    private func consumerIsBehind(context: ChannelHandlerContext) -> Bool {
        guard let backpressure = settings.backpressure, backpressure.isBehind else { return false }
        guard !waitsForConsumer else { return true }
        waitsForConsumer = true
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        backpressure.whenCaughtUp {
            loop.execute {
                bound.value.waitsForConsumer = false
                bound.value.resumeReading()
            }
        }
        return true
    }

    /// The inbox drained: do the read held back, if any.
    private func resumeReading() {
        guard readHeldBack, let context else { return }
        readHeldBack = false
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        transportError = NetworkErrorText.describe(error, certificate: certificateCheck)
        context.close(promise: nil)
    }

    // MARK: - Requests from the user (on the event loop)

    /// Sends one frame (or a whole hybi-00 message); the future completes once it is written. Without
    /// `flush` the frame waits in the channel until the next flushing write, and the future completes at once.
    func send(_ payload: ByteBuffer, opcode: Opcode, fin: Bool, flush: Bool = true) -> EventLoopFuture<Void> {
        guard let context, phase == .open, machine != nil else {
            return established.futureResult.eventLoop.makeFailedFuture(ConnectionError.closing)
        }
        do {
            if outgoingStream != nil, opcode.isData { throw ConnectionError.messageStillOpen }
            // Checked before compressing: a refused frame must leave the compressor's context as it was.
            try machine?.checkSend(opcode: opcode, fin: fin, payloadSize: payload.readableBytes)
            if let compressor, opcode.isData {
                if opcode == .text, fin, !UTF8Validator.isValid(payload.readableBytesView) {
                    throw ConnectionError.notUTF8
                }
                let compressed = try compressor.compressFragment(payload, isFinal: fin)
                let actions =
                    try machine?.sendFrame(compressed, opcode: opcode, fin: fin, compressed: true, using: &generator)
                    ?? []
                return written(perform(actions, context: context, flush: flush), flushed: flush, context: context)
            }
            let actions = try machine?.sendFrame(payload, opcode: opcode, fin: fin, using: &generator) ?? []
            return written(perform(actions, context: context, flush: flush), flushed: flush, context: context)
        } catch {
            return context.eventLoop.makeFailedFuture(error)
        }
    }

    /// Starts sending a message whose bytes come in pieces (``streamPiece(_:isFinal:)``): nothing goes out
    /// yet, but no other message may start until it ends.
    func beginStream(opcode: Opcode) -> EventLoopFuture<Void> {
        guard let context, phase == .open, let machine else {
            return established.futureResult.eventLoop.makeFailedFuture(ConnectionError.closing)
        }
        guard outgoingStream == nil else { return context.eventLoop.makeFailedFuture(ConnectionError.messageStillOpen) }
        do {
            try machine.checkSend(opcode: opcode, fin: false, payloadSize: 0)
        } catch {
            return context.eventLoop.makeFailedFuture(error)
        }
        outgoingStream = OutgoingStream(opcode: opcode)
        return context.eventLoop.makeSucceededVoidFuture()
    }

    /// The next piece of the message begun with ``beginStream(opcode:)`` (compressed first, when
    /// permessage-deflate is on); frames of exactly ``Settings/streamBufferSize`` bytes go out as soon as
    /// there is more than that, the rest with the final piece. The future completes once they are written.
    func streamPiece(_ bytes: ByteBuffer, isFinal: Bool) -> EventLoopFuture<Void> {
        guard let context, phase == .open, var stream = outgoingStream else {
            outgoingStream = nil
            return established.futureResult.eventLoop.makeFailedFuture(ConnectionError.closing)
        }
        let size = max(1, settings.streamBufferSize)
        var lastWrite: EventLoopFuture<Void>? = nil
        do {
            var data = bytes
            if let compressor {
                data = try compressor.compressFragment(bytes, isFinal: isFinal)
            }
            stream.pending.writeBuffer(&data)
            while stream.pending.readableBytes > size || isFinal {
                let piece =
                    stream.pending.readSlice(length: min(size, stream.pending.readableBytes)) ?? ByteBuffer()
                let fin = isFinal && stream.pending.readableBytes == 0
                let actions =
                    try machine?.sendFrame(
                        piece, opcode: stream.framesSent ? .continuation : stream.opcode, fin: fin,
                        compressed: compressor != nil, using: &generator) ?? []
                stream.framesSent = true
                lastWrite = perform(actions, context: context)
                if fin { break }
            }
        } catch {
            outgoingStream = nil
            return context.eventLoop.makeFailedFuture(error)
        }
        outgoingStream = isFinal ? nil : stream
        return lastWrite ?? context.eventLoop.makeSucceededVoidFuture()
    }

    /// Forgets the message begun with ``beginStream(opcode:)`` before any of its bytes came: nothing was
    /// sent, nor compressed.
    func dropStream() {
        outgoingStream = nil
    }

    /// What a send waits for: the write when it was flushed, nothing otherwise (an unflushed write completes
    /// only at the next flush).
    private func written(
        _ write: EventLoopFuture<Void>?, flushed: Bool, context: ChannelHandlerContext
    ) -> EventLoopFuture<Void> {
        guard flushed, let write else { return context.eventLoop.makeSucceededVoidFuture() }
        return write
    }

    /// Answers the peer's close frame.
    func acknowledgePeerClose() {
        graceTimer?.cancel()
        graceTimer = nil
        guard let context, phase == .open else { return }
        perform(machine?.acknowledgePeerClose(using: &generator) ?? [], context: context)
    }

    /// Fails the connection for the peer's violation that was waiting for the events before it to be taken.
    func failPending() {
        graceTimer?.cancel()
        graceTimer = nil
        guard let context, phase == .open else { return }
        perform(machine?.failPending(using: &generator) ?? [], context: context)
    }

    /// Starts the closing handshake.
    /// hybi-00: the framing of what is sent and read from now on.
    func switchHybi00Framing(to framing: Hybi00Framing) {
        machine?.switchHybi00Framing(to: framing)
    }

    func close(code: CloseCode?, reason: String) {
        guard let context, phase == .open else { return }
        let actions = machine?.close(code: code, reason: reason, using: &generator) ?? []
        perform(actions, context: context)
        resumeReading()
    }

    /// Streams the next message that is not already waiting whole in the inbox (see
    /// ``ConnectionStateMachine/streamNextMessage()``).
    func streamNextMessage() {
        guard let context, phase == .open, !inbox.holdsMessage else { return }
        perform(machine?.streamNextMessage() ?? [], context: context)
    }

    // MARK: - Handshake

    private func sendClientRequest(context: ChannelHandlerContext) {
        guard case .client(let client) = plan, phase == .handshaking, !requestSent else { return }
        requestSent = true
        var bytes = context.channel.allocator.buffer(capacity: 512)
        bytes.writeBytes(client.request.serialized())
        bytes.writeBytes(client.body)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    private func continueHandshake(context: ChannelHandlerContext) {
        do {
            guard let headLength = try HTTPHeadParser.headLength(in: received.readableBytesView) else { return }
            switch plan {
            case .client(let client):
                try finishClientHandshake(client, headLength: headLength, context: context)
            case .server(let options, let dispatch):
                try answerClient(options, dispatch, headLength: headLength, context: context)
            }
        } catch let failure as HandshakeFailure {
            failHandshake(failure, context: context)
        } catch {
            failHandshake(HandshakeFailure("\(error)"), context: context)
        }
    }

    private func finishClientHandshake(
        _ client: HandshakePlan.ClientPlan, headLength: Int, context: ChannelHandlerContext
    ) throws {
        let response = try HTTPHeadParser.parseResponse(received.readableBytesView)
        if response.statusCode != 101 {
            try awaitRefusalBody(response, headLength: headLength, context: context)
            return
        }
        var subprotocol: String? = nil
        var extensions: [ExtensionOffer] = []
        var compression: PerMessageDeflateParameters? = nil
        var consumed = headLength
        var responseBody: [UInt8] = []
        switch client.variant {
        case .rfc6455:
            let accepted = try RFC6455Handshake.validateServerResponse(
                response, key: client.key, requestedSubprotocols: client.subprotocols,
                offeredExtensions: client.compressionOffer == nil ? [] : [PerMessageDeflateParameters.extensionName])
            subprotocol = accepted.subprotocol
            extensions = accepted.extensions
            compression = try client.compressionOffer?.acceptResponse(accepted.extensions)
        case .hybi00:
            guard response.statusCode == 101 else {
                throw HandshakeError.unexpectedStatus(code: response.statusCode, reason: response.reason)
            }
            guard received.readableBytes >= headLength + 16 else { return }
            let body = Array(received.readableBytesView.dropFirst(headLength).prefix(16))
            let accepted = try Hybi00Handshake.validateServerResponse(
                response, body: body, expectedAnswer: client.expectedAnswer,
                requestedSubprotocol: client.subprotocols.first)
            subprotocol = accepted.subprotocol
            consumed += 16
            responseBody = body
        }
        open(
            ConnectionInfo(
                variant: client.variant, framing: client.framing, request: client.request, response: response,
                requestBody: client.body, responseBody: responseBody, subprotocol: subprotocol,
                extensions: extensions, compression: compression, localAddress: context.channel.localAddress,
                remoteAddress: context.channel.remoteAddress),
            role: .client, consumed: consumed, context: context)
    }

    /// The server refused the upgrade: its explanation is in the body. Waits for the start of the body (at
    /// most ``refusalBodyLimit`` bytes, or its `Content-Length`), the end of TCP, or a second; then fails.
    private func awaitRefusalBody(
        _ response: HTTPResponseHead, headLength: Int, context: ChannelHandlerContext
    ) throws {
        let available = received.readableBytes - headLength
        let announced = response.headers.first("Content-Length").flatMap { Int($0) }
        if available >= min(announced ?? Self.refusalBodyLimit, Self.refusalBodyLimit) {
            throw refusalFailure(response, headLength: headLength)
        }
        guard refusal == nil else { return }
        refusal = (response, headLength)
        refusalTimer = context.eventLoop.assumeIsolated().scheduleTask(in: min(settings.closeTimeout, .seconds(1))) {
            [weak self] in
            guard let self, let context = self.context, self.phase == .handshaking,
                let (response, headLength) = self.refusal
            else { return }
            self.failHandshake(self.refusalFailure(response, headLength: headLength), context: context)
        }
    }

    /// The bytes of a refusal's body that the error quotes.
    static let refusalBodyLimit = 300

    /// "The server answered 400 ... instead of 101 Switching Protocols: <start of the body>".
    private func refusalFailure(_ response: HTTPResponseHead, headLength: Int) -> HandshakeFailure {
        let status = HandshakeError.unexpectedStatus(code: response.statusCode, reason: response.reason)
        let body = received.readableBytesView.dropFirst(headLength)
        let shown = String(decoding: body.prefix(Self.refusalBodyLimit), as: UTF8.self)
            .map { $0.isNewline || $0 == "\t" ? " " : $0 }
        let text = String(shown.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard !text.isEmpty else { return HandshakeFailure("\(status)") }
        let cut = body.count > Self.refusalBodyLimit ? "…" : ""
        return HandshakeFailure("\(status): \(text)\(cut)")
    }

    private func failHandshake(_ failure: HandshakeFailure, context: ChannelHandlerContext) {
        guard phase == .handshaking else { return }
        phase = .finished
        refusalTimer?.cancel()
        refusalTimer = nil
        established.fail(failure)
        closed.fail(HandshakeFailure("the connection never opened"))
        context.close(promise: nil)
    }

    private func answerClient(
        _ options: ServerOptions, _ dispatch: ServerDispatch, headLength: Int, context: ChannelHandlerContext
    ) throws {
        let request: HTTPRequestHead
        do {
            request = try HTTPHeadParser.parseRequest(received.readableBytesView)
        } catch {
            // A head that is not HTTP (a folded header line, a bad request line) is answered, not dropped (RFC 7230
            // 3.2.4 asks a 400 of a server that does not unfold obsolete line folding).
            rejectBadRequest("the request is not valid HTTP: \(error)", context: context)
            return
        }
        var variant = HandshakeVariant.detect(request)
        if variant == .hybi00, !options.acceptsHybi00 { variant = .notWebSocket }
        switch variant {
        case .rfc6455:
            switch RFC6455Handshake.validateClientRequest(request) {
            case .success(let upgrade):
                guard let decision = dispatch.decide(upgrade.path, upgrade.subprotocols, request) else {
                    rejectUnrouted(upgrade.path, upgrade.subprotocols, context: context)
                    return
                }
                let negotiation = options.compression?.negotiate(upgrade.extensions)
                let agreedExtensions = [negotiation?.response].compactMap { $0 }
                let response = RFC6455Handshake.makeServerResponse(
                    for: upgrade, subprotocol: decision.subprotocol, extensions: agreedExtensions,
                    extraHeaders: decision.extraHeaders)
                write(response.serialized(), context: context)
                var connectionInfo = info(request, response, .rfc6455, options.hybi00Framing, decision, context)
                connectionInfo.acceptance = decision
                connectionInfo.extensions = agreedExtensions
                connectionInfo.compression = negotiation?.agreed
                open(connectionInfo, role: .server, consumed: headLength, context: context)
            case .failure(let rejection):
                reject(
                    rejection.responseHead.serialized() + rejection.responseBody, because: rejection.description,
                    context: context)
            }
        case .hybi00:
            guard received.readableBytes >= headLength + 8 else { return }
            let body = Array(received.readableBytesView.dropFirst(headLength).prefix(8))
            switch Hybi00Handshake.validateClientRequest(request, body: body) {
            case .success(let upgrade):
                let requested = upgrade.subprotocol.map { [$0] } ?? []
                guard let decision = dispatch.decide(upgrade.path, requested, request) else {
                    rejectUnrouted(upgrade.path, requested, context: context)
                    return
                }
                var (response, answer) = Hybi00Handshake.makeServerResponse(
                    for: upgrade, location: upgrade.location(secure: options.tls != nil),
                    subprotocol: decision.subprotocol)
                response.headers.add(contentsOf: decision.extraHeaders)
                write(response.serialized() + answer, context: context)
                var connectionInfo = info(request, response, .hybi00, options.hybi00Framing, decision, context)
                connectionInfo.acceptance = decision
                connectionInfo.requestBody = body
                connectionInfo.responseBody = answer
                open(connectionInfo, role: .server, consumed: headLength + 8, context: context)
            case .failure(let rejection):
                reject(
                    rejection.responseHead.serialized() + rejection.responseBody, because: rejection.description,
                    context: context)
            }
        case .notWebSocket:
            rejectBadRequest("this is a WebSocket endpoint: the request is not a WebSocket upgrade", context: context)
        }
    }

    private func rejectUnrouted(_ path: String, _ subprotocols: [String], context: ChannelHandlerContext) {
        let asked = subprotocols.isEmpty ? "no subprotocol" : "subprotocols " + subprotocols.joined(separator: ", ")
        rejectBadRequest("no route serves path \(path) with \(asked)", context: context)
    }

    /// `400 Bad WebSocket request`, as the original library answers.
    private func rejectBadRequest(_ explanation: String, context: ChannelHandlerContext) {
        let body = Array((explanation + "\n").utf8)
        let head =
            "HTTP/1.1 400 Bad WebSocket request\r\nContent-Type: text/plain\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        reject(Array(head.utf8) + body, because: "400 Bad WebSocket request: \(explanation)", context: context)
    }

    private func info(
        _ request: HTTPRequestHead, _ response: HTTPResponseHead, _ variant: ProtocolVariant,
        _ framing: Hybi00Framing, _ decision: AcceptDecision, _ context: ChannelHandlerContext
    ) -> ConnectionInfo {
        ConnectionInfo(
            variant: variant, framing: framing, request: request, response: response,
            subprotocol: decision.subprotocol,
            extensions: [], localAddress: context.channel.localAddress, remoteAddress: context.channel.remoteAddress)
    }

    private func reject(_ bytes: [UInt8], because reason: String, context: ChannelHandlerContext) {
        phase = .finished
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        established.fail(HandshakeFailure("rejected the request: \(reason)"))
        closed.fail(HandshakeFailure("the connection never opened"))
    }

    private func write(_ bytes: [UInt8], context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }

    /// The handshake is done: start the state machine and feed it what came after the head.
    private func open(_ info: ConnectionInfo, role: EndpointRole, consumed: Int, context: ChannelHandlerContext) {
        received.moveReaderIndex(forwardBy: consumed)
        let leftover = received
        received = ByteBuffer()
        machine = ConnectionStateMachine(
            configuration: ConnectionConfiguration(
                role: role, variant: info.variant, framing: info.framing, maxMessageSize: settings.maxMessageSize,
                reportsFrames: settings.reportsFrames, compression: info.compression))
        if let agreed = info.compression {
            let peer: EndpointRole = role == .client ? .server : .client
            compressor = try? PerMessageDeflateCompressor(agreed: agreed, sender: role)
            decompressor = try? PerMessageDeflateDecompressor(
                agreed: agreed, sender: peer, maxMessageSize: settings.maxMessageSize)
        }
        phase = .open
        lastRead = .now()
        scheduleIdleCheck(context: context)
        if info.variant == .rfc6455, let interval = settings.keepaliveInterval {
            scheduleKeepalive(every: interval, context: context)
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        inbox.notifyWhenDrained { loop.execute { bound.value.resumeReading() } }
        wireObserver = settings.wireObserver?(info)
        established.succeed(info)
        if leftover.readableBytes > 0 {
            wireObserver?.received(leftover)
            let actions = machine?.bytesReceived(leftover, using: &generator) ?? []
            perform(actions, context: context)
        }
    }

    // MARK: - Actions and timers

    @discardableResult
    private func perform(
        _ actions: [ConnectionAction], context: ChannelHandlerContext, flush: Bool = true
    ) -> EventLoopFuture<Void>? {
        var lastWrite: EventLoopFuture<Void>? = nil
        var wrote = false
        // Writes complete in order: only the last one, when flushed, needs a promise (what a send waits for).
        let awaitedWrite =
            flush ? actions.lastIndex { if case .write = $0 { return true } else { return false } } : nil
        for (index, action) in actions.enumerated() {
            switch action {
            case .write(let bytes):
                wireObserver?.sent(bytes)
                if index == awaitedWrite {
                    let promise = context.eventLoop.makePromise(of: Void.self)
                    context.write(wrapOutboundOut(bytes), promise: promise)
                    lastWrite = promise.futureResult
                } else {
                    context.write(wrapOutboundOut(bytes), promise: nil)
                }
                wrote = true
            case .deliver(let event):
                if case .closed(let outcome) = event, let observer = wireObserver {
                    // Before the user hears of the close, so that a recording is complete when they do.
                    observer.closed(outcome)
                    wireObserver = nil
                }
                inbox.push(event)
                if case .pong(let payload) = event, let time = keepalive.pongReceived(payload, at: .now()) {
                    let roundTrip = Duration.nanoseconds(time.nanoseconds)
                    roundTrips.record(roundTrip)
                    inbox.push(.keepaliveRoundTrip(roundTrip))
                }
                if case .closed(let outcome) = event {
                    phase = .finished
                    cancelTimers()
                    closed.succeed(outcome)
                }
            case .inflate(let message):
                perform(inflate(message), context: context)
            case .inflateChunk(let chunk):
                perform(inflate(chunk), context: context)
            case .peerRequestedClose:
                answerOnceDelivered(.acknowledgeClose, context: context)
            case .failurePending:
                answerOnceDelivered(.failPending, context: context)
            case .closeTransport:
                if wrote {
                    context.flush()
                    wrote = false
                }
                endTransport(context: context)
            }
        }
        if wrote, flush { context.flush() }
        if let state = machine?.state, state == .closeSent || state == .awaitingTransportClose, closeTimer == nil {
            closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: settings.closeTimeout) { [weak self] in
                guard let self, let context = self.context else { return }
                self.perform(self.machine?.closeTimedOut() ?? [], context: context)
            }
        }
        return lastWrite
    }

    /// Answers the peer (its close, or its violation) once the user is done with the messages that came
    /// before: at once when none is waiting or being handled, else when the reader asks for the next event,
    /// or after a grace period of at most a second (``Settings/answerGrace``).
    private func answerOnceDelivered(_ answer: PeerAnswer, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        // Through the loop even when settled now: the actions being performed finish first.
        inbox.notifyWhenSettled { loop.execute { bound.value.give(answer) } }
        graceTimer = loop.assumeIsolated().scheduleTask(in: min(settings.closeTimeout, settings.answerGrace)) {
            [weak self] in
            self?.give(answer)
        }
    }

    /// What answers the peer once the messages before its close or violation are delivered.
    private enum PeerAnswer: Sendable {
        case acknowledgeClose
        case failPending
    }

    private func give(_ answer: PeerAnswer) {
        switch answer {
        case .acknowledgeClose: acknowledgePeerClose()
        case .failPending: failPending()
        }
    }

    /// Inflates a compressed message and hands the result back to the state machine.
    private func inflate(_ message: Message) -> [ConnectionAction] {
        guard let decompressor else {
            return machine?.inflationFailed(
                code: .protocolError, reason: "compressed message without permessage-deflate", using: &generator) ?? []
        }
        do {
            let data = try decompressor.decompress(message.data)
            return machine?.messageInflated(Message(opcode: message.opcode, data: data), using: &generator) ?? []
        } catch {
            return machine?.inflationFailed(code: error.closeCode, reason: error.description, using: &generator) ?? []
        }
    }

    /// Inflates a piece of a compressed message being streamed, and hands the result back to the state machine
    /// in chunks of at most ``Settings/streamBufferSize`` bytes.
    private func inflate(_ chunk: MessageChunk) -> [ConnectionAction] {
        guard let decompressor else {
            return machine?.inflationFailed(
                code: .protocolError, reason: "compressed message without permessage-deflate", using: &generator) ?? []
        }
        var inflated: ByteBuffer
        do {
            inflated = try decompressor.decompressFragment(chunk.data, isFinal: chunk.isFinal)
        } catch {
            return machine?.inflationFailed(code: error.closeCode, reason: error.description, using: &generator) ?? []
        }
        var actions: [ConnectionAction] = []
        var isFirst = chunk.isFirst
        let size = max(1, settings.streamBufferSize)
        repeat {
            let piece = inflated.readSlice(length: min(size, inflated.readableBytes)) ?? ByteBuffer()
            let isLast = inflated.readableBytes == 0
            let part = MessageChunk(
                opcode: chunk.opcode, data: piece, isFirst: isFirst, isFinal: chunk.isFinal && isLast)
            actions += machine?.chunkInflated(part, using: &generator) ?? []
            isFirst = false
        } while inflated.readableBytes > 0
        return actions
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext) {
        guard let idle = settings.idleTimeout else { return }
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: lastRead + idle) { [weak self] in
            guard let self, let context = self.context, self.phase == .open else { return }
            // Reads held back for the user are not the peer's silence.
            if self.readHeldBack { self.lastRead = .now() }
            if NIODeadline.now() - self.lastRead >= idle {
                self.close(code: .goingAway, reason: "idle timeout")
            } else {
                self.scheduleIdleCheck(context: context)
            }
        }
    }

    /// Sends a keepalive ping every `interval` while the connection is open.
    private func scheduleKeepalive(every interval: TimeAmount, context: ChannelHandlerContext) {
        keepaliveTimer = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [weak self] in
            guard let self, let context = self.context, self.phase == .open, self.machine?.state == .open else {
                return
            }
            let payload = self.keepalive.nextPing(at: .now())
            if let actions = try? self.machine?.sendFrame(payload, opcode: .ping, fin: true, using: &self.generator) {
                self.perform(actions, context: context)
            }
            self.scheduleKeepalive(every: interval, context: context)
        }
    }

    /// Ends TCP without losing the close frame just written: closing a socket that has unread bytes sends a
    /// reset, and a reset makes the peer's system drop what it had not yet read, the close frame included
    /// (issue 21: `wstap serve` failing a connection with 240 KB unread). So this end shuts down its sending
    /// side once everything written is sent (the peer reads a FIN after the close frame), then reads and drops
    /// what the peer still sends until it closes too, or ``drainLimit`` passes.
    private func endTransport(context: ChannelHandlerContext) {
        guard drainTimer == nil else { return }
        drainTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.drainLimit) {
            context.close(promise: nil)
        }
        let shutDown = context.eventLoop.makePromise(of: Void.self)
        shutDown.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        context.close(mode: .output, promise: shutDown)
    }

    private func cancelTimers() {
        keepaliveTimer?.cancel()
        keepaliveTimer = nil
        closeTimer?.cancel()
        idleCheck?.cancel()
        graceTimer?.cancel()
        closeTimer = nil
        idleCheck = nil
        graceTimer = nil
    }
}
