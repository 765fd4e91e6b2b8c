import NIOCore
import WSTapCompression
import WSTapCore

/// The thin NIO layer around ``ConnectionStateMachine``: it runs the opening handshake, feeds received
/// bytes to the machine, carries out the actions it returns, and runs the close and idle timers.
final class WebSocketChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
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
        var wireObserver: ConnectionWireObserverFactory? = nil
    }

    private let plan: HandshakePlan
    private let settings: Settings
    private let inbox: ConnectionInbox
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
    /// permessage-deflate, when agreed: this end's compressor and the peer's decompressor.
    private var compressor: PerMessageDeflateCompressor?
    private var decompressor: PerMessageDeflateDecompressor?
    private var requestSent = false
    /// Sees the bytes each way once the connection is open, when the options asked for it.
    private var wireObserver: (any ConnectionWireObserver)?

    init(
        plan: HandshakePlan, settings: Settings, inbox: ConnectionInbox,
        established: EventLoopPromise<ConnectionInfo>, closed: EventLoopPromise<CloseOutcome>
    ) {
        self.plan = plan
        self.settings = settings
        self.inbox = inbox
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

    func channelInactive(context: ChannelHandlerContext) {
        switch phase {
        case .handshaking:
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
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        transportError = "\(error)"
        context.close(promise: nil)
    }

    // MARK: - Requests from the user (on the event loop)

    /// Sends one frame (or a whole hybi-00 message); the future completes once it is written.
    func send(_ payload: ByteBuffer, opcode: Opcode, fin: Bool) -> EventLoopFuture<Void> {
        guard let context, phase == .open, machine != nil else {
            return established.futureResult.eventLoop.makeFailedFuture(
                HandshakeFailure("the connection is closed: nothing more can be sent"))
        }
        do {
            if let compressor, opcode.isData {
                if opcode == .text, fin, !UTF8Validator.isValid(payload.readableBytesView) {
                    throw ConnectionError.notUTF8
                }
                let compressed = try compressor.compressFragment(payload, isFinal: fin)
                let actions =
                    try machine?.sendFrame(compressed, opcode: opcode, fin: fin, compressed: true, using: &generator)
                    ?? []
                return perform(actions, context: context) ?? context.eventLoop.makeSucceededVoidFuture()
            }
            let actions = try machine?.sendFrame(payload, opcode: opcode, fin: fin, using: &generator) ?? []
            return perform(actions, context: context) ?? context.eventLoop.makeSucceededVoidFuture()
        } catch {
            return context.eventLoop.makeFailedFuture(error)
        }
    }

    /// Answers the peer's close frame.
    func acknowledgePeerClose() {
        graceTimer?.cancel()
        graceTimer = nil
        guard let context, phase == .open else { return }
        perform(machine?.acknowledgePeerClose(using: &generator) ?? [], context: context)
    }

    /// Starts the closing handshake.
    func close(code: CloseCode?, reason: String) {
        guard let context, phase == .open else { return }
        let actions = machine?.close(code: code, reason: reason, using: &generator) ?? []
        perform(actions, context: context)
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
        } catch {
            phase = .finished
            established.fail(HandshakeFailure("\(error)"))
            closed.fail(HandshakeFailure("the connection never opened"))
            context.close(promise: nil)
        }
    }

    private func finishClientHandshake(
        _ client: HandshakePlan.ClientPlan, headLength: Int, context: ChannelHandlerContext
    ) throws {
        let response = try HTTPHeadParser.parseResponse(received.readableBytesView)
        var subprotocol: String? = nil
        var extensions: [ExtensionOffer] = []
        var compression: PerMessageDeflateParameters? = nil
        var consumed = headLength
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
        }
        open(
            ConnectionInfo(
                variant: client.variant, framing: client.framing, request: client.request, response: response,
                subprotocol: subprotocol, extensions: extensions, compression: compression,
                localAddress: context.channel.localAddress, remoteAddress: context.channel.remoteAddress),
            role: .client, consumed: consumed, context: context)
    }

    private func answerClient(
        _ options: ServerOptions, _ dispatch: ServerDispatch, headLength: Int, context: ChannelHandlerContext
    ) throws {
        let request = try HTTPHeadParser.parseRequest(received.readableBytesView)
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
    private func perform(_ actions: [ConnectionAction], context: ChannelHandlerContext) -> EventLoopFuture<Void>? {
        var lastWrite: EventLoopFuture<Void>? = nil
        var wrote = false
        for action in actions {
            switch action {
            case .write(let bytes):
                wireObserver?.sent(bytes)
                let promise = context.eventLoop.makePromise(of: Void.self)
                context.write(wrapOutboundOut(bytes), promise: promise)
                lastWrite = promise.futureResult
                wrote = true
            case .deliver(let event):
                if case .closed(let outcome) = event, let observer = wireObserver {
                    // Before the user hears of the close, so that a recording is complete when they do.
                    observer.closed(outcome)
                    wireObserver = nil
                }
                inbox.push(event)
                if case .closed(let outcome) = event {
                    phase = .finished
                    cancelTimers()
                    closed.succeed(outcome)
                }
            case .inflate(let message):
                perform(inflate(message), context: context)
            case .peerRequestedClose:
                // Answer once the user has taken what came before the close (so that replies to those
                // messages still go out), or after a short grace period.
                let loop = context.eventLoop
                let bound = NIOLoopBound(self, eventLoop: loop)
                inbox.notifyWhenWaiting { loop.execute { bound.value.acknowledgePeerClose() } }
                graceTimer = loop.assumeIsolated().scheduleTask(in: min(settings.closeTimeout, .seconds(1))) {
                    [weak self] in
                    self?.acknowledgePeerClose()
                }
            case .closeTransport:
                if wrote {
                    context.flush()
                    wrote = false
                }
                context.close(promise: nil)
            }
        }
        if wrote { context.flush() }
        if let state = machine?.state, state == .closeSent || state == .awaitingTransportClose, closeTimer == nil {
            closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: settings.closeTimeout) { [weak self] in
                guard let self, let context = self.context else { return }
                self.perform(self.machine?.closeTimedOut() ?? [], context: context)
            }
        }
        return lastWrite
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

    private func scheduleIdleCheck(context: ChannelHandlerContext) {
        guard let idle = settings.idleTimeout else { return }
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: lastRead + idle) { [weak self] in
            guard let self, let context = self.context, self.phase == .open else { return }
            if NIODeadline.now() - self.lastRead >= idle {
                self.close(code: .goingAway, reason: "idle timeout")
            } else {
                self.scheduleIdleCheck(context: context)
            }
        }
    }

    private func cancelTimers() {
        closeTimer?.cancel()
        idleCheck?.cancel()
        graceTimer?.cancel()
        closeTimer = nil
        idleCheck = nil
        graceTimer = nil
    }
}
