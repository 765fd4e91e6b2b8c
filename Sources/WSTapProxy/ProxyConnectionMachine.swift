import NIOCore
import WSTapCompression
import WSTapCore
import WSTapPipeline

/// One proxied connection as a state machine, without sockets: the tap that decodes both directions, the
/// gates that hold and release frames (for intercept and for the stage), and the close report.
///
/// Its inputs are what happened (bytes arrived from a side, a side closed or failed, the user decided on a
/// held frame, injected one, asked to close a side); its outputs are traffic events, given to the options'
/// consumer as they happen, and ``ProxyAction``s (write, flush, close, reset, read again), collected in
/// ``actions`` for the channel handlers to carry out in order. Everything runs on the connection's event
/// loop; nothing here touches a channel, so tests drive it event by event.
final class ProxyConnectionMachine {
    let id: UInt64
    let options: ProxyOptions
    let controller: ProxyController
    /// What the channels are to do, in order; the caller carries them out and empties the list.
    var actions: [ProxyAction] = []

    private(set) var tap: ConnectionTap?
    /// Reads the frames the proxy made (edited, injected, rewritten) for the events, also while the tap is busy
    /// (set with the tap, and again when its framing switches).
    private(set) var madeFrames: MadeFrameReader?
    /// Which side ended first, and with what error.
    private var firstToClose: EndpointRole?
    private var error: String?
    /// The side whose TCP connection was reset, if one was: the other side is reset too.
    private var resetBy: EndpointRole?
    private var reportedClose = false
    /// The sides that ended.
    private(set) var closedSides: Set<EndpointRole> = []

    /// The stages in the order they act: intercept (holding frames for a person), then the options' stage (rules,
    /// scripts). Intercept's part changes with the controller's settings.
    private(set) var stage: StageChain
    private var clientToServer: DirectionGate
    private var serverToClient: DirectionGate
    /// Held frames as reported, to report again when decided.
    var heldFrames: [UInt64: TrafficEvent.FrameSeen] = [:]
    /// The directions a stage acts on, and the message each is collecting for it.
    var staged: [TrafficDirection: StagedMessage] = [:]
    /// Ids of frames held for the stage (apart from the user's, which the controller numbers from 1).
    var nextStageHoldID = DirectionGate.firstStageHoldID
    /// Numbers the messages handed to the stage.
    var nextStageTicket: UInt64 = 1
    /// Takes a decision the stage made later (from any thread) back to the connection's event loop, where it
    /// calls ``stageAnswered(_:ticket:_:)``; set by the channels' side.
    var answerLater: (@Sendable (TrafficDirection, UInt64, StageDecision) -> Void)?
    /// Messages the stage answered with, to send when the tap is free.
    var pendingReplies: [StageAnswer] = []
    /// A close the stage asked for, carried out once the writes before it are out.
    var pendingStageClose: (code: CloseCode, reason: String, by: String)?

    /// A sender stops being read while this many bytes wait behind held frames.
    static let maxBufferedBytes = 8 << 20

    init(id: UInt64, options: ProxyOptions, controller: ProxyController) {
        self.id = id
        self.options = options
        self.controller = controller
        let holdLimit = max(options.payloadCaptureLimit, 64 << 10)
        clientToServer = DirectionGate(holdLimit: holdLimit)
        serverToClient = DirectionGate(holdLimit: holdLimit)
        stage = Self.chain(intercepting: .off, then: options.stage)
    }

    /// Intercept with `settings`, then `other`.
    private static func chain(intercepting settings: InterceptSettings, then other: (any TrafficStage)?) -> StageChain {
        StageChain([InterceptStage(settings)] + (other.map { [$0] } ?? []))
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

    /// The directions whose whole messages a stage acts on, for the connection `opened` describes.
    func stagedDirections(_ opened: TrafficEvent.ConnectionOpened) -> [TrafficDirection] {
        TrafficDirection.allCases.filter { stage.acts(on: $0, of: opened) }
    }

    /// The connection's open event, once reported, when a stage needs it (kept only then: its heads are a
    /// kilobyte or two per connection).
    private(set) var opened: TrafficEvent.ConnectionOpened?

    /// The open event, then the notes about the handshake.
    func reportOpened(_ opened: TrafficEvent.ConnectionOpened) {
        if options.stage != nil { self.opened = opened }
        emit(.connectionOpened(opened))
        for text in openingNotes { emit(.note(connection: id, text: text, at: opened.at)) }
        openingNotes.removeAll()
    }

    /// The handshake completed: from now on frames are tapped and gated, and the stage sees the messages of
    /// `staging` (encoded again for the receiver, with `compression` when it was agreed). `settings` says
    /// what intercept holds.
    func startRelaying(
        tap: ConnectionTap, compression: PerMessageDeflateParameters? = nil, staging: [TrafficDirection] = [],
        intercepting settings: InterceptSettings = .off
    ) {
        self.tap = tap
        madeFrames = tap.madeFrameReader
        for direction in staging {
            staged[direction] = StagedMessage()
            withGate(direction) { gate in
                gate.staging = true
                gate.rewriter = MessageRewriter(variant: tap.variant, sender: direction.sender, deflate: compression)
            }
        }
        apply(settings)
    }

    // MARK: - Relaying

    /// Bytes arrived from the sender of `direction`: tap them and pass them on (now, at the next frame
    /// boundary, or when the user decided on a held frame).
    func relay(_ buffer: ByteBuffer, _ direction: TrafficDirection) {
        guard tap != nil else {
            actions.append(.write(buffer, to: direction.receiver))
            return
        }
        let consumer = options.consumer
        consumer.consumeStreamBytes(buffer, connection: id, direction: direction)
        var writes: [ByteBuffer] = []
        let passesNow = withGate(direction) { $0.arrived(buffer) }
        if passesNow { actions.append(.write(buffer, to: direction.receiver)) }
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
            consumer.consume(.frame(frameEnded(seen, hold: !passesNow && stage.holds(seen), writes: &writes)))
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

    /// Whether so many bytes of `direction` wait behind held frames that its sender should not be read.
    func holdsTooMuch(_ direction: TrafficDirection) -> Bool {
        withGate(direction) { $0.bufferedBytes } >= Self.maxBufferedBytes
    }

    // MARK: - Control

    /// Intercept holds what `settings` says from now on; a direction it no longer holds releases its frames.
    func apply(_ settings: InterceptSettings) {
        stage = Self.chain(intercepting: settings, then: options.stage)
        for direction in TrafficDirection.allCases {
            let on = stage.holdsFrames(going: direction)
            var writes: [ByteBuffer] = []
            let released = withGate(direction) { gate -> [UInt64] in
                gate.intercepting = on
                return on ? [] : gate.releaseAll(includingPartialFrame: false, keepingStageHolds: true, writes: &writes)
            }
            reportReleased(released)
            write(writes, to: direction, flush: true)
        }
    }

    /// The user decided on the held frame `holdID`.
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

    /// The user injects `bytes` in `direction` (at the next frame boundary).
    func inject(_ bytes: ByteBuffer, direction: TrafficDirection) {
        var writes: [ByteBuffer] = []
        withGate(direction) { $0.inject(bytes, writes: &writes) }
        reportMadeByUser(bytes, direction: direction, as: .injected)
        write(writes, to: direction, flush: true)
    }

    /// The user closes `side`: held frames towards it go on, then a close frame, then its connection closes.
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
        guard !closedSides.contains(side) else { return }
        for bytes in writes { actions.append(.write(bytes, to: side)) }
        actions.append(.closeAfterWrites(side))
    }

    /// The user switches a hybi-00 connection's framing: both streams are read again from the start.
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
        madeFrames = tap?.madeFrameReader
        for direction in TrafficDirection.allCases {
            if let bytes = writes[direction] { write(bytes, to: direction, flush: true) }
        }
    }

    // MARK: - Closing

    /// One side's connection ended: what it sent goes on, the other side is closed (after what was written
    /// to it), or reset when this one was, and the close is reported.
    func sideClosed(_ side: EndpointRole, error: String?) {
        closedSides.insert(side)
        if firstToClose == nil { firstToClose = side }
        if self.error == nil { self.error = error }
        // Whatever the closed side sent that is still held goes on: nothing it said is lost.
        let direction: TrafficDirection = side == .client ? .clientToServer : .serverToClient
        var writes: [ByteBuffer] = []
        let released = withGate(direction) { $0.releaseAll(includingPartialFrame: true, writes: &writes) }
        reportReleased(released)
        flushStaged(direction)
        reportStageOutput(direction)
        let other = direction.receiver
        if !closedSides.contains(other) {
            if resetBy == side {
                // Closed the same way: a reset is answered with a reset, not an orderly close.
                actions.append(.reset(other))
            } else {
                for bytes in writes { actions.append(.write(bytes, to: other)) }
                actions.append(.closeAfterWrites(other))
            }
        }
        reportClosed()
    }

    /// Something went wrong on the connection: the first description is the one reported at close.
    func recordError(_ description: String) {
        if error == nil { error = description }
    }

    /// A side's connection failed (`isReset` when its TCP connection was reset): remember why.
    func recordError(_ description: String, on side: EndpointRole, isReset: Bool) {
        let name = side == .client ? "client" : "upstream"
        if isReset, resetBy == nil, firstToClose == nil {
            resetBy = side
            recordError("\(name) reset the connection")
        } else {
            recordError("\(name) side: \(description)")
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

    func withGate<Result>(_ direction: TrafficDirection, _ body: (inout DirectionGate) -> Result) -> Result {
        switch direction {
        case .clientToServer: return body(&clientToServer)
        case .serverToClient: return body(&serverToClient)
        }
    }

    /// Writes to the receiver of `direction`; when flushed, its sender may be read again if it was paused.
    func write(_ writes: [ByteBuffer], to direction: TrafficDirection, flush: Bool) {
        if staged[direction] != nil { reportStageOutput(direction) }
        sendReplies()
        let receiver = direction.receiver
        if !writes.isEmpty {
            for bytes in writes { actions.append(.write(bytes, to: receiver)) }
            if flush { actions.append(.flush(receiver)) }
        }
        if flush { actions.append(.resumeReading(direction.sender)) }
        if pendingStageClose != nil { closeForStage() }
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
        let made = madeFrames?.frames(bytes, direction: direction, at: time, disposition: disposition) ?? []
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
