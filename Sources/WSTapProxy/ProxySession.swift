import NIOCore
import WSTapCompression
import WSTapCore
import WSTapNetwork
import WSTapPipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The state one proxied connection shares between its two channels (both on one event loop): the
/// tap that decodes both directions, the gates that hold and release frames, and the close report.
final class ProxySession {
    let id: UInt64
    let options: ProxyOptions
    let controller: ProxyController
    let clientAddress: String
    var tap: ConnectionTap?
    var clientContext: ChannelHandlerContext?
    var upstreamContext: ChannelHandlerContext?
    /// The handlers, to resume reading when held bytes drain.
    weak var clientSide: ProxyClientSideHandler?
    weak var upstreamSide: ProxyUpstreamSideHandler?
    /// Which side ended first, and with what error.
    private var firstToClose: EndpointRole?
    private var error: String?
    /// The side whose TCP connection was reset, if one was: the other side is reset too.
    private var resetBy: EndpointRole?
    private var reportedClose = false

    var intercept = InterceptMatcher(InterceptSettings.off)
    private var clientToServer: DirectionGate
    private var serverToClient: DirectionGate
    /// Held frames as reported, to report again when decided.
    var heldFrames: [UInt64: TrafficEvent.FrameSeen] = [:]
    /// The directions a stage acts on, and the message each is collecting for it.
    var staged: [TrafficDirection: StagedMessage] = [:]
    /// Ids of frames held for the stage (apart from the user's, which the controller numbers from 1).
    var nextStageHoldID = DirectionGate.firstStageHoldID

    /// A sender stops being read while this many bytes wait behind held frames.
    static let maxBufferedBytes = 8 << 20

    init(id: UInt64, options: ProxyOptions, controller: ProxyController, clientAddress: String) {
        self.id = id
        self.options = options
        self.controller = controller
        self.clientAddress = clientAddress
        let holdLimit = max(options.payloadCaptureLimit, 64 << 10)
        clientToServer = DirectionGate(holdLimit: holdLimit)
        serverToClient = DirectionGate(holdLimit: holdLimit)
    }

    func emit(_ event: TrafficEvent) {
        options.consumer.consume(event)
    }

    /// Notes about the opening handshake (what the proxy changed in it), reported right after the
    /// connection's open event.
    private var openingNotes: [String] = []

    func noteWhenOpened(_ text: String) {
        openingNotes.append(text)
    }

    /// The directions the stage acts on for the connection `opened` describes (none without a stage).
    func stagedDirections(_ opened: TrafficEvent.ConnectionOpened) -> [TrafficDirection] {
        guard let stage = options.stage else { return [] }
        return TrafficDirection.allCases.filter { stage.acts(on: $0, of: opened) }
    }

    /// The connection's open event, once reported.
    private(set) var opened: TrafficEvent.ConnectionOpened?

    /// The open event, then the notes about the handshake.
    func reportOpened(_ opened: TrafficEvent.ConnectionOpened) {
        self.opened = opened
        emit(.connectionOpened(opened))
        for text in openingNotes { emit(.note(connection: id, text: text, at: opened.at)) }
        openingNotes.removeAll()
    }

    /// The handshake completed: from now on frames are tapped and gated, and the stage sees the messages of
    /// `staging` (encoded again for the receiver, with `compression` when it was agreed).
    func startRelaying(
        tap: ConnectionTap, eventLoop: any EventLoop, compression: PerMessageDeflateParameters? = nil,
        staging: [TrafficDirection] = []
    ) {
        self.tap = tap
        for direction in staging {
            staged[direction] = StagedMessage()
            withGate(direction) { gate in
                gate.staging = true
                gate.rewriter = MessageRewriter(variant: tap.variant, sender: direction.sender, deflate: compression)
            }
        }
        apply(controller.register(self, variant: tap.variant, eventLoop: eventLoop))
    }

    // MARK: - Relaying

    /// Bytes arrived from the sender of `direction`: tap them and pass them on (now, at the next frame
    /// boundary, or when the user decided on a held frame).
    func relay(_ buffer: ByteBuffer, _ direction: TrafficDirection) {
        guard tap != nil else {
            receiver(of: direction)?.write(NIOAny(buffer), promise: nil)
            return
        }
        let consumer = options.consumer
        consumer.consumeStreamBytes(buffer, connection: id, direction: direction)
        var writes: [ByteBuffer] = []
        let passesNow = withGate(direction) { $0.arrived(buffer) }
        if passesNow { receiver(of: direction)?.write(NIOAny(buffer), promise: nil) }
        let time = TrafficClock.now()
        let isStaged = staged[direction] != nil
        let framing = tap?.framing ?? .old
        tap?.bytes(buffer, direction: direction, at: time) { event in
            if isStaged {
                stage(event, framing: framing, writes: &writes)
                return
            }
            guard case .frame(let seen) = event else {
                if case .message = event, !consumer.wantsMessages { return }
                consumer.consume(event)
                return
            }
            consumer.consume(.frame(frameEnded(seen, hold: !passesNow && intercept.holds(seen), writes: &writes)))
        }
        if isStaged { finishStagedChunk(direction, writes: &writes) }
        if !passesNow { withGate(direction) { $0.chunkDone(writes: &writes) } }
        write(writes, to: direction, flush: false)
    }

    /// The tap reported `seen`: its bytes end in the gate, held for the user when `hold` and it still can be.
    /// Returns the frame as it is reported (with its hold id when held).
    func frameEnded(
        _ seen: TrafficEvent.FrameSeen, hold: Bool, writes: inout [ByteBuffer]
    ) -> TrafficEvent.FrameSeen {
        let (start, end) = Self.streamRange(of: seen)
        let heldBytes = withGate(seen.direction) { gate in
            gate.frameEnded(start: start, end: end, hold: hold, writes: &writes)
        }
        guard let heldBytes else { return seen }
        var seen = seen
        let holdID = controller.hold(seen, wireBytes: heldBytes)
        withGate(seen.direction) { $0.nameLastHeld(holdID) }
        seen.disposition = .held(holdID)
        heldFrames[holdID] = seen
        return seen
    }

    /// Whether the sender of `direction` may be read: its receiver takes writes, not too much waits
    /// behind held frames, and the consumer of the traffic (the recorder) is not behind.
    func mayRead(_ direction: TrafficDirection) -> Bool {
        let receiverWritable = receiver(of: direction)?.channel.isWritable ?? true
        let buffered = direction == .clientToServer ? clientToServer.bufferedBytes : serverToClient.bufferedBytes
        return receiverWritable && buffered < Self.maxBufferedBytes && !consumerIsBehind()
    }

    /// Whether it asked the consumer to say when it has caught up, and has not heard yet.
    private var waitsForConsumer = false

    /// Whether the consumer of the relayed traffic is behind (the handshake is read regardless); if so, both
    /// sides try reading again once it catches up.
    private func consumerIsBehind() -> Bool {
        guard tap != nil, let backpressure = options.backpressure, backpressure.isBehind else { return false }
        guard !waitsForConsumer, let loop = (clientContext ?? upstreamContext)?.eventLoop else { return true }
        waitsForConsumer = true
        let bound = NIOLoopBound(self, eventLoop: loop)
        backpressure.whenCaughtUp {
            loop.execute {
                let session = bound.value
                session.waitsForConsumer = false
                session.clientSide?.resumeReadingIfAllowed()
                session.upstreamSide?.resumeReadingIfAllowed()
            }
        }
        return true
    }

    // MARK: - Control (on the event loop)

    func apply(_ settings: InterceptSettings) {
        intercept = InterceptMatcher(settings)
        for direction in TrafficDirection.allCases {
            let on = settings.directions.contains(direction)
            var writes: [ByteBuffer] = []
            let released = withGate(direction) { gate -> [UInt64] in
                gate.intercepting = on
                return on ? [] : gate.releaseAll(includingPartialFrame: false, keepingStageHolds: true, writes: &writes)
            }
            reportReleased(released)
            write(writes, to: direction, flush: true)
        }
    }

    func decide(_ holdID: UInt64, _ decision: HoldDecision) {
        guard let seen = heldFrames.removeValue(forKey: holdID) else { return }
        var writes: [ByteBuffer] = []
        guard withGate(seen.direction, { $0.decide(holdID, .user(decision), writes: &writes) }) else { return }
        switch decision {
        case .forward: reportAgain(seen, as: .released(holdID))
        case .drop: reportAgain(seen, as: .dropped(holdID))
        case .replace(let bytes): reportMadeByUser(bytes, direction: seen.direction, as: .edited(holdID))
        }
        write(writes, to: seen.direction, flush: true)
    }

    func inject(_ bytes: ByteBuffer, direction: TrafficDirection) {
        var writes: [ByteBuffer] = []
        withGate(direction) { $0.inject(bytes, writes: &writes) }
        reportMadeByUser(bytes, direction: direction, as: .injected)
        write(writes, to: direction, flush: true)
    }

    func closeSide(_ side: EndpointRole, code: CloseCode, reason: String) {
        let direction: TrafficDirection = side == .server ? .clientToServer : .serverToClient
        var writes: [ByteBuffer] = []
        let released = withGate(direction) { $0.releaseAll(includingPartialFrame: false, writes: &writes) }
        reportReleased(released)
        flushStaged(direction)
        var frame = ByteBuffer()
        if tap?.variant == .hybi00 {
            Hybi00FrameEncoder.writeClose(framing: tap?.framing ?? .old, into: &frame)
        } else {
            let spec = FrameSpec.close(code: code, reason: reason, mask: side == .server ? .random : .none)
            frame.writeBytes((try? FrameEncoder.encode(spec)) ?? [])
        }
        withGate(direction) { $0.inject(frame, writes: &writes) }
        reportMadeByUser(frame, direction: direction, as: .injected)
        emit(
            .note(connection: id, text: "closing the \(side.rawValue) side (\(code.rawValue))", at: TrafficClock.now()))
        reportStageOutput(direction)
        guard let context = receiver(of: direction) else { return }
        for bytes in writes { context.write(NIOAny(bytes), promise: nil) }
        context.writeAndFlush(NIOAny(ByteBuffer())).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func setFraming(_ framing: Hybi00Framing) {
        guard tap?.variant == .hybi00 else { return }
        // Frames held under the old reading go on as they are; the stream is read again from the start.
        for direction in TrafficDirection.allCases {
            var writes: [ByteBuffer] = []
            let released = withGate(direction) { $0.releaseAll(includingPartialFrame: false, writes: &writes) }
            reportReleased(released)
            flushStaged(direction)
            write(writes, to: direction, flush: true)
        }
        let consumer = options.consumer
        var writes: [TrafficDirection: [ByteBuffer]] = [:]
        tap?.switchFraming(to: framing, at: TrafficClock.now()) { event in
            if case .frame(let seen) = event {
                // Frames decoded again passed long ago; a frame the new reading completes goes on now.
                let (start, end) = Self.streamRange(of: seen)
                _ = withGate(seen.direction) { gate in
                    gate.frameEnded(start: start, end: end, hold: false, writes: &writes[seen.direction, default: []])
                }
            }
            consumer.consume(event)
        }
        for (direction, bytes) in writes { write(bytes, to: direction, flush: true) }
    }

    // MARK: - Closing

    /// One side's channel ended: let what it sent go on, close the other side (after what was written
    /// to it is flushed) and report.
    func sideClosed(_ side: EndpointRole, error: String?) {
        if firstToClose == nil { firstToClose = side }
        if self.error == nil { self.error = error }
        // Whatever the closed side sent that is still held goes on: nothing it said is lost.
        let direction: TrafficDirection = side == .client ? .clientToServer : .serverToClient
        var writes: [ByteBuffer] = []
        let released = withGate(direction) { $0.releaseAll(includingPartialFrame: true, writes: &writes) }
        reportReleased(released)
        flushStaged(direction)
        reportStageOutput(direction)
        if let other = receiver(of: direction), resetBy == side {
            // Closed the same way: a reset is answered with a reset (SO_LINGER 0), not an orderly close.
            let abort = (other.channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
            if let abort {
                abort.assumeIsolated().whenComplete { _ in other.close(promise: nil) }
            } else {
                other.close(promise: nil)
            }
        } else if let other = receiver(of: direction) {
            for bytes in writes { other.write(NIOAny(bytes), promise: nil) }
            // Close only after what was already relayed to the other side has been written (writes complete
            // in order, so an empty write completes after them).
            other.writeAndFlush(NIOAny(ByteBuffer())).assumeIsolated().whenComplete { _ in
                other.close(promise: nil)
            }
        }
        reportClosed()
    }

    func recordError(_ description: String) {
        if error == nil { error = description }
    }

    /// A side's channel failed: remember why, and whether it was a reset.
    func recordError(_ error: any Error, on side: EndpointRole) {
        if let io = error as? IOError, io.errnoCode == ECONNRESET, resetBy == nil, firstToClose == nil {
            resetBy = side
            recordError("\(side == .client ? "client" : "upstream") reset the connection")
        } else {
            recordError("\(side == .client ? "client" : "upstream") side: \(NetworkErrorText.describe(error))")
        }
    }

    private func reportClosed() {
        guard !reportedClose, tap != nil else { return }
        reportedClose = true
        controller.unregister(id)
        for (holdID, seen) in heldFrames.sorted(by: { $0.key < $1.key }) {
            reportAgain(seen, as: .dropped(holdID))
        }
        heldFrames.removeAll()
        let time = TrafficClock.now()
        let consumer = options.consumer
        tap?.finish(at: time) { consumer.consume($0) }
        emit(
            .connectionClosed(
                .init(
                    connection: id, closedBy: firstToClose, clientCloseCode: tap?.clientCloseCode,
                    serverCloseCode: tap?.serverCloseCode, closeReason: tap?.closeReason ?? "",
                    wasClean: tap?.sawBothCloses ?? false, error: error, at: time)))
    }

    // MARK: - Helpers

    private func receiver(of direction: TrafficDirection) -> ChannelHandlerContext? {
        direction == .clientToServer ? upstreamContext : clientContext
    }

    func withGate<Result>(_ direction: TrafficDirection, _ body: (inout DirectionGate) -> Result) -> Result {
        switch direction {
        case .clientToServer: return body(&clientToServer)
        case .serverToClient: return body(&serverToClient)
        }
    }

    /// Writes to the receiver of `direction`; then the sender may be read again if it was paused.
    func write(_ writes: [ByteBuffer], to direction: TrafficDirection, flush: Bool) {
        if staged[direction] != nil { reportStageOutput(direction) }
        if let context = receiver(of: direction), !writes.isEmpty {
            for bytes in writes { context.write(NIOAny(bytes), promise: nil) }
            if flush { context.flush() }
        }
        guard flush else { return }
        if direction == .clientToServer {
            clientSide?.resumeReadingIfAllowed()
        } else {
            upstreamSide?.resumeReadingIfAllowed()
        }
    }

    private func reportReleased(_ ids: [UInt64]) {
        for holdID in ids {
            controller.holdEnded(holdID)
            if let seen = heldFrames.removeValue(forKey: holdID) { reportAgain(seen, as: .released(holdID)) }
        }
    }

    private func reportAgain(_ seen: TrafficEvent.FrameSeen, as disposition: FrameDisposition) {
        var seen = seen
        seen.disposition = disposition
        seen.at = TrafficClock.now()
        emit(.frame(seen))
    }

    /// Reports the frames of bytes the user made (edited or injected), decoded as the receiver will.
    private func reportMadeByUser(_ bytes: ByteBuffer, direction: TrafficDirection, as disposition: FrameDisposition) {
        let time = TrafficClock.now()
        let made = tap?.framesMade(bytes, direction: direction, at: time, disposition: disposition) ?? []
        for seen in made { emit(.frame(seen)) }
        if made.isEmpty {
            emit(
                .note(
                    connection: id,
                    text:
                        "\(disposition.name) \(bytes.readableBytes) bytes \(direction.arrow) that make no whole frame",
                    at: time))
        }
    }

    static func streamRange(of seen: TrafficEvent.FrameSeen) -> (UInt64, UInt64) {
        switch seen.content {
        case .rfc6455(let frame):
            let start = UInt64(frame.streamOffset)
            return (start, start &+ frame.wireLength)
        case .hybi00(let frame):
            let start = UInt64(frame.streamOffset)
            return (start, start &+ UInt64(frame.wireLength))
        }
    }
}
