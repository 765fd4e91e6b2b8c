import NIOCore
import WSTapCore
import WSTapPipeline

/// What a staged direction holds for the stage: the message it is collecting (its data frames held in the
/// gate, and every event of that direction kept back until the stage decided, so that the events keep the order
/// of the stream), and the whole messages that wait for a decision, oldest first.
struct StagedMessage {
    /// Hold ids and bytes of the message's data frames, in order.
    var holdIDs: [UInt64] = []
    var frames: [ByteBuffer] = []
    var heldBytes = 0
    /// Events kept back, each with whether it is one of the message's held frames.
    var deferred: [(event: TrafficEvent, isHeld: Bool)] = []
    /// The message in progress cannot be changed (too large, held by intercept, went on in parts): the rest of
    /// its frames pass.
    var skips = false
    /// Its last frame was held; the message event follows.
    var isComplete = false
    /// Whether the note about messages too large for the stage was given on this connection.
    var toldAboutLimit = false
    /// Whether the note that later compressed messages are compressed again was given.
    var toldAboutReencoding = false
    /// Messages given to the stage (or passing) whose decision takes effect once those before them took theirs.
    var waiting: [WaitingMessage] = []

    /// Whether frames of a message are held for the stage.
    var isCollecting: Bool { !holdIDs.isEmpty }

    /// The state after the message being collected was handed on (what is said once per connection stays
    /// said, and the waiting messages keep waiting).
    var next: StagedMessage {
        var next = StagedMessage()
        next.toldAboutLimit = toldAboutLimit
        next.toldAboutReencoding = toldAboutReencoding
        next.waiting = waiting
        return next
    }

    /// The message being collected, handed on with `decision` (`nil`: the stage has not decided yet).
    func handedOn(
        ticket: UInt64, message: TrafficEvent.MessageSeen?, framing: Hybi00Framing, decision: StageDecision?
    ) -> WaitingMessage {
        WaitingMessage(
            ticket: ticket, message: message, holdIDs: holdIDs, frames: frames, deferred: deferred, framing: framing,
            decision: decision)
    }
}

/// A message a stage sends back to a message's sender (`--respond`), waiting for the tap to be free.
struct StageAnswer {
    var payload: ByteBuffer
    var isText: Bool
    /// The way it goes (back to the sender of the message it answers).
    var direction: TrafficDirection
    var by: String
    /// The frame, when it was given to the gate already (a message the stage injected after another): it
    /// is only reported.
    var sent: ByteBuffer? = nil
}

/// A message of a staged direction between the stage and the gate.
struct WaitingMessage {
    /// Names it in the stage's later reply.
    var ticket: UInt64
    /// The whole message; `nil` for frames that pass without being a message for the stage.
    var message: TrafficEvent.MessageSeen?
    var holdIDs: [UInt64]
    var frames: [ByteBuffer]
    var deferred: [(event: TrafficEvent, isHeld: Bool)]
    /// Events of the direction that came after the message, kept back until it is decided.
    var behind: [TrafficEvent] = []
    var framing: Hybi00Framing
    var decision: StageDecision?
}

extension ProxyConnectionMachine {
    /// One event of a direction the stage acts on, from the tap (which is busy meanwhile: `framing` is its
    /// hybi-00 framing): data frames are held until their message is whole and the stage has decided.
    func stage(_ event: TrafficEvent, framing: Hybi00Framing, writes: inout [ByteBuffer]) {
        switch event {
        case .frame(let seen): stageFrame(seen, writes: &writes)
        case .message(let message): decideStaged(message, framing: framing, writes: &writes)
        default: options.consumer.consume(event)
        }
    }

    /// The last chunk was read: a message whose last frame came without a message event (a continuation with
    /// nothing to continue) is not waited for.
    func finishStagedChunk(_ direction: TrafficDirection, writes: inout [ByteBuffer]) {
        if staged[direction]?.isComplete == true { passStaged(direction, writes: &writes) }
    }

    /// What the gate did for the stage since the last call: frames it made (reported as rewritten) and changes
    /// it could not make (reported in a note).
    func reportStageOutput(_ direction: TrafficDirection) {
        let (made, refusals, reencodes) = withGate(direction) { gate in
            defer {
                gate.made.removeAll()
                gate.refusals.removeAll()
            }
            return (gate.made, gate.refusals, gate.rewriter?.isReencoding == true)
        }
        let time = TrafficClock.now()
        for why in refusals {
            emit(.note(connection: id, text: "the message went on unchanged: \(why)", at: time))
        }
        if reencodes, staged[direction]?.toldAboutReencoding == false {
            staged[direction]?.toldAboutReencoding = true
            emit(
                .note(
                    connection: id,
                    text:
                        "from now on compressed messages \(direction.rawValue) are compressed again for the receiver, "
                        + "whose window no longer matches the sender's: their frames show what the sender wrote, "
                        + "the receiver reads the same text from other bytes",
                    at: time))
        }
        for (frame, payload) in made {
            for var seen in madeFrames?.frames(frame, direction: direction, at: time, disposition: .rewritten) ?? [] {
                if case .rfc6455(let decoded) = seen.content, decoded.header.reservedBits.contains(.rsv1) {
                    seen.inflatedPayload = payload
                }
                emit(.frame(seen))
            }
        }
    }

    /// The gate released every frame (a side closed, the framing switched): the events kept back follow.
    func flushStaged(_ direction: TrafficDirection) {
        guard let state = staged[direction] else { return }
        staged[direction] = state.next
        staged[direction]?.waiting.removeAll()
        for waiting in state.waiting {
            for (event, _) in waiting.deferred { emit(event) }
            if let message = waiting.message, options.consumer.wantsMessages { emit(.message(message)) }
            for event in waiting.behind { emit(event) }
        }
        for (event, _) in state.deferred { emit(event) }
    }

    /// The stage decided later on the message `ticket` of `direction`: it takes effect when those before it
    /// have (at once if they have).
    func stageAnswered(_ direction: TrafficDirection, ticket: UInt64, _ decision: StageDecision) {
        guard let index = staged[direction]?.waiting.firstIndex(where: { $0.ticket == ticket }),
            staged[direction]?.waiting[index].decision == nil
        else { return }
        staged[direction]?.waiting[index].decision = decision
        var writes: [ByteBuffer] = []
        applyDecided(direction, writes: &writes)
        write(writes, to: direction, flush: true)
    }

    // MARK: - Pieces

    private func stageFrame(_ seen: TrafficEvent.FrameSeen, writes: inout [ByteBuffer]) {
        let direction = seen.direction
        let (start, end) = Self.streamRange(of: seen)
        let carriesData = Self.carriesData(seen)
        let isLast = Self.endsMessage(seen)
        if carriesData, !Self.continues(seen), staged[direction]?.isCollecting == true {
            // A new message while one was unfinished (the sender's fault, reported on its frames): that one passes.
            passStaged(direction, writes: &writes)
        }
        let userHolds = stage.holds(seen)
        if carriesData, userHolds, staged[direction]?.isCollecting == true {
            // Intercept takes this message: the user decides on it, frame by frame.
            passStaged(direction, writes: &writes)
            staged[direction]?.skips = true
        }
        if carriesData, !userHolds, staged[direction]?.skips == false {
            let holdID = nextStageHoldID
            let held = withGate(direction) { gate -> ByteBuffer? in
                let bytes = gate.frameEnded(start: start, end: end, hold: true, writes: &writes)
                if bytes != nil { gate.nameLastHeld(holdID) }
                return bytes
            }
            if let held {
                nextStageHoldID += 1
                staged[direction]?.holdIDs.append(holdID)
                staged[direction]?.frames.append(held)
                staged[direction]?.heldBytes += held.readableBytes
                staged[direction]?.deferred.append((.frame(seen), true))
                staged[direction]?.isComplete = isLast
                let limit = withGate(direction) { $0.holdLimit }
                if let bytes = staged[direction]?.heldBytes, bytes > limit {
                    tellAboutLimit(direction, at: seen.at)
                    passStaged(direction, writes: &writes)
                    staged[direction]?.skips = !isLast
                }
                return
            }
            // Its start went on before it was whole: the message passes as it is.
            passStaged(direction, writes: &writes)
            staged[direction]?.skips = !isLast
            deferOrEmit(.frame(seen), direction)
            return
        }
        // Not for the stage: a control frame, a frame intercept holds, a frame of a message that passes.
        let seen = frameEnded(seen, hold: userHolds, writes: &writes)
        if carriesData, isLast { staged[direction]?.skips = false }
        deferOrEmit(.frame(seen), direction)
    }

    /// An event of `direction` that is not one of a collected message's frames: kept back behind the message
    /// being collected or the last one waiting, if any, so that events keep the order of the stream.
    private func deferOrEmit(_ event: TrafficEvent, _ direction: TrafficDirection) {
        guard let state = staged[direction] else {
            emit(event)
            return
        }
        if state.isCollecting {
            staged[direction]?.deferred.append((event, false))
        } else if !state.waiting.isEmpty {
            staged[direction]?.waiting[state.waiting.count - 1].behind.append(event)
        } else {
            emit(event)
        }
    }

    /// A whole message of a staged direction: the stage decides what the receiver gets, now or later.
    private func decideStaged(_ message: TrafficEvent.MessageSeen, framing: Hybi00Framing, writes: inout [ByteBuffer]) {
        let direction = message.direction
        guard let state = staged[direction], state.isCollecting else {
            // One the stage does not get (it passed, or intercept took it).
            staged[direction]?.skips = false
            if options.consumer.wantsMessages { deferOrEmit(.message(message), direction) }
            return
        }
        staged[direction] = state.next
        let ticket = nextStageTicket
        nextStageTicket += 1
        var decision: StageDecision? = .pass
        if message.isCut {
            tellAboutLimit(direction, at: message.at)
        } else if let opened {
            let later = answerLater
            decision = stage.decide(message, of: opened, later: StageReply { later?(direction, ticket, $0) })
        }
        staged[direction]?.waiting.append(
            state.handedOn(ticket: ticket, message: message, framing: framing, decision: decision))
        applyDecided(direction, writes: &writes)
    }

    /// The message being collected goes on unchanged (once those waiting before it went).
    private func passStaged(_ direction: TrafficDirection, writes: inout [ByteBuffer]) {
        guard let state = staged[direction] else { return }
        staged[direction] = state.next
        guard state.isCollecting || !state.deferred.isEmpty else { return }
        let ticket = nextStageTicket
        nextStageTicket += 1
        staged[direction]?.waiting.append(state.handedOn(ticket: ticket, message: nil, framing: .old, decision: .pass))
        applyDecided(direction, writes: &writes)
    }

    /// Carries out the decisions of the oldest waiting messages, as far as they are decided.
    private func applyDecided(_ direction: TrafficDirection, writes: inout [ByteBuffer]) {
        while let first = staged[direction]?.waiting.first, let decision = first.decision {
            staged[direction]?.waiting.removeFirst()
            apply(decision, to: first, direction: direction, writes: &writes)
        }
    }

    /// What the stage decided for one message: the gate lets its frames through, drops them or sends the new
    /// message instead; the kept-back events follow, with a note naming what changed it.
    private func apply(
        _ decision: StageDecision, to waiting: WaitingMessage, direction: TrafficDirection, writes: inout [ByteBuffer]
    ) {
        var original = FrameDisposition.relayed
        var change: (payload: ByteBuffer?, isText: Bool)?
        let isText = waiting.message?.isText ?? true
        switch decision.verdict {
        case .pass: break
        case .drop:
            original = .removed
            change = (nil, isText)
        case .replace(let payload, let isText):
            original = .replaced
            change = (payload, isText)
        }
        if waiting.message == nil { change = nil }
        // (The tap may be busy here: the connection's open event says how to frame.)
        if !decision.inject.isEmpty, waiting.message != nil, let last = waiting.holdIDs.last,
            let variant = opened?.variant
        {
            // Injected messages go right behind this one, before any later message held behind it.
            var frames: [ByteBuffer] = []
            for message in decision.inject {
                let frame = MessageRewriter.plainMessage(
                    message.payload, isText: message.isText, variant: variant, sender: direction.sender,
                    hybi00Framing: waiting.framing)
                frames.append(frame)
                pendingReplies.append(
                    StageAnswer(
                        payload: message.payload, isText: message.isText, direction: direction, by: decision.by,
                        sent: frame))
            }
            for frame in frames.reversed() {
                withGate(direction) { $0.inject(frame, afterHold: last, writes: &writes) }
            }
        }
        if let close = decision.close, waiting.message != nil {
            pendingStageClose = (close.code, close.reason, decision.by)
        }
        for (index, holdID) in waiting.holdIDs.enumerated() {
            let gateDecision: DirectionGate.Decision
            if let change {
                gateDecision =
                    index == 0
                    ? .message(
                        frames: waiting.frames, payload: change.payload, isText: change.isText,
                        framing: waiting.framing)
                    : .restOfMessage
            } else {
                gateDecision = .pass
            }
            _ = withGate(direction) { $0.decide(holdID, gateDecision, writes: &writes) }
        }
        for (event, isHeld) in waiting.deferred {
            if isHeld, change != nil, case .frame(var seen) = event {
                seen.disposition = original
                emit(.frame(seen))
            } else {
                emit(event)
            }
        }
        defer { for event in waiting.behind { emit(event) } }
        guard let message = waiting.message else { return }
        if options.consumer.wantsMessages { emit(.message(message)) }
        if let change {
            let what =
                change.payload.map { "replaced a \(Self.size(message)) message with \($0.readableBytes) bytes" }
                ?? "dropped a \(Self.size(message)) message"
            emit(.note(connection: id, text: "\(decision.by): \(what) (\(direction.rawValue))", at: message.at))
        } else if !decision.by.isEmpty, decision.reply == nil {
            emit(
                .note(
                    connection: id,
                    text: "\(decision.by): a \(Self.size(message)) message went on unchanged (\(direction.rawValue))",
                    at: message.at))
        }
        // The frame sent instead follows its note, before the events that came after the message.
        reportStageOutput(direction)
        if let reply = decision.reply { respond(reply, to: direction, by: decision.by) }
    }

    /// Sends `reply` back to the sender of `direction`, as if from the other side (once the tap is free: see
    /// ``sendReplies()``).
    private func respond(_ reply: (payload: ByteBuffer, isText: Bool), to direction: TrafficDirection, by: String) {
        let back: TrafficDirection = direction == .clientToServer ? .serverToClient : .clientToServer
        pendingReplies.append(
            StageAnswer(payload: reply.payload, isText: reply.isText, direction: back, by: by))
    }

    /// Sends the stage's answers decided so far, each at the next frame boundary of its direction.
    func sendReplies() {
        guard let tap, !pendingReplies.isEmpty else { return }
        let replies = pendingReplies
        pendingReplies.removeAll()
        for reply in replies {
            let frame =
                reply.sent
                ?? MessageRewriter.plainMessage(
                    reply.payload, isText: reply.isText, variant: tap.variant, sender: reply.direction.sender,
                    hybi00Framing: tap.framing)
            var writes: [ByteBuffer] = []
            if reply.sent == nil { withGate(reply.direction) { $0.inject(frame, writes: &writes) } }
            let time = TrafficClock.now()
            for seen in madeFrames?.frames(frame, direction: reply.direction, at: time, disposition: .injected) ?? [] {
                emit(.frame(seen))
            }
            let what = reply.sent == nil ? "answered with" : "sent"
            emit(
                .note(
                    connection: id,
                    text: "\(reply.by): \(what) \(reply.payload.readableBytes) bytes (\(reply.direction.rawValue))",
                    at: time))
            if reply.sent == nil { write(writes, to: reply.direction, flush: true) }
        }
    }

    /// Closes both sides as the stage asked (once, after the writes before it).
    func closeForStage() {
        guard let close = pendingStageClose, tap != nil else { return }
        pendingStageClose = nil
        emit(.note(connection: id, text: "\(close.by): closing the connection", at: TrafficClock.now()))
        for side in [EndpointRole.server, .client] where !closedSides.contains(side) {
            closeSide(side, code: close.code, reason: close.reason)
        }
    }

    private func tellAboutLimit(_ direction: TrafficDirection, at time: TrafficTimestamp) {
        guard staged[direction]?.toldAboutLimit == false else { return }
        staged[direction]?.toldAboutLimit = true
        let limit = withGate(direction) { $0.holdLimit }
        emit(
            .note(
                connection: id,
                text: "a message over \(limit) bytes \(direction.arrow) went on unchanged: the rules see messages up "
                    + "to the capture limit (--capture-limit), larger ones pass as they are",
                at: time))
    }

    private static func size(_ message: TrafficEvent.MessageSeen) -> String {
        "\(message.length.map(String.init) ?? "?")-byte \(message.isText ? "text" : "binary")"
    }

    /// Whether the frame carries a data message's bytes (not a control frame).
    private static func carriesData(_ seen: TrafficEvent.FrameSeen) -> Bool {
        switch seen.content {
        case .rfc6455(let frame): return frame.header.opcode.isData
        case .hybi00(let frame): return frame.kindName == "text" || frame.kindName == "binary"
        }
    }

    /// Whether it continues a message (a continuation frame).
    private static func continues(_ seen: TrafficEvent.FrameSeen) -> Bool {
        guard case .rfc6455(let frame) = seen.content else { return false }
        return frame.header.opcode == .continuation
    }

    /// Whether a data frame is its message's last.
    private static func endsMessage(_ seen: TrafficEvent.FrameSeen) -> Bool {
        guard case .rfc6455(let frame) = seen.content else { return true }
        return frame.header.fin
    }
}
