import NIOCore
import WSTapCore
import WSTapPipeline

/// The message a staged direction is collecting for the stage: its data frames held in the gate, and every
/// frame event of that direction kept back until the stage decided, so that the events keep the order of the
/// stream.
struct StagedMessage {
    /// Hold ids and bytes of the message's data frames, in order.
    var holdIDs: [UInt64] = []
    var frames: [ByteBuffer] = []
    var heldBytes = 0
    /// Frame events kept back, each with whether it is one of the message's held frames.
    var deferred: [(seen: TrafficEvent.FrameSeen, isHeld: Bool)] = []
    /// The message in progress cannot be changed (too large, held by intercept, went on in parts): the rest of
    /// its frames pass.
    var skips = false
    /// Its last frame was held; the message event follows.
    var isComplete = false
    /// Whether the note about messages too large for the stage was given on this connection.
    var toldAboutLimit = false
    /// Whether the note that later compressed messages are compressed again was given.
    var toldAboutReencoding = false

    /// Whether frames of a message are held for the stage.
    var isCollecting: Bool { !holdIDs.isEmpty }

    /// The state after a message was decided (what is said once per connection stays said).
    var next: StagedMessage {
        var next = StagedMessage()
        next.toldAboutLimit = toldAboutLimit
        next.toldAboutReencoding = toldAboutReencoding
        return next
    }
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
            for var seen in tap?.framesMade(frame, direction: direction, at: time, disposition: .rewritten) ?? [] {
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
        for (seen, _) in state.deferred { emit(.frame(seen)) }
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
        let userHolds = intercept.holds(seen)
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
                staged[direction]?.deferred.append((seen, true))
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
            emit(.frame(seen))
            return
        }
        // Not for the stage: a control frame, a frame intercept holds, a frame of a message that passes.
        let seen = frameEnded(seen, hold: userHolds, writes: &writes)
        if carriesData, isLast { staged[direction]?.skips = false }
        if staged[direction]?.isCollecting == true {
            staged[direction]?.deferred.append((seen, false))
        } else {
            emit(.frame(seen))
        }
    }

    /// A whole message of a staged direction: the stage decides what the receiver gets.
    private func decideStaged(_ message: TrafficEvent.MessageSeen, framing: Hybi00Framing, writes: inout [ByteBuffer]) {
        let direction = message.direction
        guard let state = staged[direction], state.isCollecting else {
            // One the stage does not get (it passed, or intercept took it).
            staged[direction]?.skips = false
            if options.consumer.wantsMessages { emit(.message(message)) }
            return
        }
        staged[direction] = state.next
        var decision = StageDecision.pass
        if message.isCut {
            tellAboutLimit(direction, at: message.at)
            staged[direction]?.toldAboutLimit = true
        } else if let stage = options.stage, let opened {
            decision = stage.decide(message, of: opened)
        }
        var original = FrameDisposition.relayed
        var change: (payload: ByteBuffer?, isText: Bool)?
        switch decision.verdict {
        case .pass: break
        case .drop:
            original = .removed
            change = (nil, message.isText)
        case .replace(let payload, let isText):
            original = .replaced
            change = (payload, isText)
        }
        for (index, holdID) in state.holdIDs.enumerated() {
            let gateDecision: DirectionGate.Decision
            if let change {
                gateDecision =
                    index == 0
                    ? .message(frames: state.frames, payload: change.payload, isText: change.isText, framing: framing)
                    : .restOfMessage
            } else {
                gateDecision = .pass
            }
            _ = withGate(direction) { $0.decide(holdID, gateDecision, writes: &writes) }
        }
        for (seen, isHeld) in state.deferred {
            var seen = seen
            if isHeld { seen.disposition = original }
            emit(.frame(seen))
        }
        if options.consumer.wantsMessages { emit(.message(message)) }
        if let change {
            let what =
                change.payload.map { "replaced a \(Self.size(message)) message with \($0.readableBytes) bytes" }
                ?? "dropped a \(Self.size(message)) message"
            emit(.note(connection: id, text: "\(decision.by): \(what) (\(direction.rawValue))", at: message.at))
        }
    }

    /// The message being collected goes on unchanged.
    private func passStaged(_ direction: TrafficDirection, writes: inout [ByteBuffer]) {
        guard let state = staged[direction] else { return }
        staged[direction] = state.next
        for holdID in state.holdIDs {
            _ = withGate(direction) { $0.decide(holdID, .pass, writes: &writes) }
        }
        for (seen, _) in state.deferred { emit(.frame(seen)) }
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
