import NIOCore
import WSTapCore
import WSTapPipeline

/// Decides, for one direction of a proxied connection, when the bytes a sender wrote go on to the
/// receiver: at once (nothing intercepted, the fast path), at frame boundaries (so frames can be held
/// and injected ones slip in between whole frames), or after the user or a stage decided on a held frame.
///
/// It works on stream offsets: frames partition the sender's byte stream, and the tap reports where
/// each one ends. Pure bookkeeping, no I/O: every call appends what to write, in order, to `writes`. With a
/// ``MessageRewriter`` (a stage acts on this direction), every frame of the sender's goes through it on its
/// way out, in order, so that a changed message and what follows it are encoded for the receiver.
struct DirectionGate {
    /// What becomes of a held frame.
    enum Decision {
        /// The user decided (intercept).
        case user(HoldDecision)
        /// A stage decided on the message whose first data frame this is: the message's frames (`frames`,
        /// this one first) are replaced by `payload`, or dropped when `payload` is nil.
        case message(frames: [ByteBuffer], payload: ByteBuffer?, isText: Bool, framing: Hybi00Framing)
        /// A later frame of a message decided with ``message(frames:payload:isText:framing:)``.
        case restOfMessage
        /// A stage let it pass.
        case pass
    }

    private enum Queued {
        case held(id: UInt64?, bytes: ByteBuffer, decision: Decision?)
        case bytes(ByteBuffer, fromSender: Bool)
    }

    /// Whether frames of this direction may be held.
    var intercepting = false
    /// Whether a stage acts on this direction: bytes go on at frame boundaries, through ``rewriter``.
    var staging = false
    /// Encodes the sender's frames for the receiver once a stage changed the stream (with ``staging``).
    var rewriter: MessageRewriter?
    /// Why changes a stage decided could not be made (the frames went on unchanged), for the events;
    /// the session takes them after each call.
    var refusals: [String] = []
    /// Frames a stage's change made and this gate wrote, with the message each carries, for the events; the
    /// session takes them after each call.
    var made: [(frame: ByteBuffer, payload: ByteBuffer)] = []
    /// Hold ids from here up are the stage's (the user's are numbered from 1).
    static let firstStageHoldID: UInt64 = 1 << 62
    /// A stage's change was refused at the message's first frame: its later frames go on unchanged too.
    private var refusedMessage = false
    /// A frame still incomplete with more bytes than this waiting is let through as it arrives (and
    /// cannot be held), so one huge frame never makes the proxy buffer without bound.
    var holdLimit: Int

    /// Stream offset up to which bytes were forwarded, dropped or queued.
    private var decidedUpTo: UInt64 = 0
    /// Stream offset of the bytes received so far.
    private var received: UInt64 = 0
    /// Where the last complete frame ended.
    private var lastFrameEnd: UInt64 = 0
    /// Bytes received and not decided yet (offsets `decidedUpTo ..< received`): part of a frame.
    private var pending = ByteBuffer()
    /// Held frames and what waits behind them, in order.
    private var queue = CircularBuffer<Queued>()
    private var queuedBytes = 0
    /// Injected bytes waiting for the frame in progress to end.
    private var awaitingBoundary: [ByteBuffer] = []

    init(holdLimit: Int) {
        self.holdLimit = holdLimit
    }

    /// Bytes held back from the receiver (held frames, what waits behind them, a frame in progress).
    var bufferedBytes: Int { queuedBytes + pending.readableBytes }

    /// Whether a frame is held.
    var isHolding: Bool { !queue.isEmpty }

    /// Bytes arrived from the sender. Returns true when they may be written on at once as they are
    /// (the fast path); otherwise the gate keeps them until ``frameEnded`` and ``chunkDone``.
    mutating func arrived(_ chunk: ByteBuffer) -> Bool {
        received &+= UInt64(chunk.readableBytes)
        if !intercepting, !staging, queue.isEmpty, pending.readableBytes == 0, awaitingBoundary.isEmpty {
            decidedUpTo = received
            return true
        }
        var chunk = chunk
        pending.writeBuffer(&chunk)
        return false
    }

    /// The tap found a frame occupying `start ..< end` of the stream. With `hold` the frame is held
    /// when it still can be (none of its bytes went out yet). Returns the held frame's bytes.
    mutating func frameEnded(start: UInt64, end: UInt64, hold: Bool, writes: inout [ByteBuffer]) -> ByteBuffer? {
        lastFrameEnd = end
        var held: ByteBuffer?
        if end > decidedUpTo {
            // Held only when none of its bytes went out before it was complete.
            let untouched = start >= decidedUpTo
            let count = Int(end &- decidedUpTo)
            let bytes = pending.readSlice(length: min(count, pending.readableBytes)) ?? ByteBuffer()
            decidedUpTo = end
            if hold, untouched {
                enqueue(.held(id: nil, bytes: bytes, decision: nil))
                held = bytes
            } else if !untouched {
                // Its start went on already: the rest follows as it is.
                rewriter?.lostTrack(because: "a frame too large to wait for went on in parts")
                send(bytes, fromSender: true, writes: &writes)
            } else {
                send(bytes, fromSender: true, writes: &writes)
            }
        }
        // At a boundary: what was injected meanwhile goes now (or behind what is held).
        for bytes in awaitingBoundary { send(bytes, fromSender: false, writes: &writes) }
        awaitingBoundary.removeAll()
        return held
    }

    /// Names the frame ``frameEnded`` just held.
    mutating func nameLastHeld(_ holdID: UInt64) {
        guard let last = queue.indices.last, case .held(nil, let bytes, nil) = queue[last] else { return }
        queue[last] = .held(id: holdID, bytes: bytes, decision: nil)
    }

    /// Every frame the last chunk completed was reported: let the frame in progress through unless it
    /// might have to be held.
    mutating func chunkDone(writes: inout [ByteBuffer]) {
        guard queue.isEmpty, pending.readableBytes > 0 else { return }
        guard !(intercepting || staging) || pending.readableBytes > holdLimit else { return }
        rewriter?.lostTrack(because: "a frame too large to wait for went on in parts")
        writes.append(pending)
        decidedUpTo = received
        pending = ByteBuffer()
    }

    /// Bytes the user made, for the receiver: between whole frames, behind anything held.
    mutating func inject(_ bytes: ByteBuffer, writes: inout [ByteBuffer]) {
        if decidedUpTo == lastFrameEnd {
            send(bytes, fromSender: false, writes: &writes)
        } else {
            awaitingBoundary.append(bytes)
        }
    }

    /// Bytes a stage made, for the receiver right after the held frame `holdID` (before anything behind it);
    /// without that frame held, as ``inject(_:writes:)`` does.
    mutating func inject(_ bytes: ByteBuffer, afterHold holdID: UInt64, writes: inout [ByteBuffer]) {
        guard
            let index = queue.firstIndex(where: {
                if case .held(holdID, _, _) = $0 { return true } else { return false }
            })
        else {
            inject(bytes, writes: &writes)
            return
        }
        queuedBytes += bytes.readableBytes
        queue.insert(.bytes(bytes, fromSender: false), at: queue.index(after: index))
    }

    /// The user decided on a held frame. Returns false when this gate holds no frame with that id.
    mutating func decide(_ holdID: UInt64, _ decision: Decision, writes: inout [ByteBuffer]) -> Bool {
        guard
            let index = queue.firstIndex(where: {
                if case .held(holdID, _, nil) = $0 { return true } else { return false }
            }), case .held(_, let bytes, _) = queue[index]
        else { return false }
        queue[index] = .held(id: holdID, bytes: bytes, decision: decision)
        drain(writes: &writes)
        return true
    }

    /// The ids of the frames still held, oldest first.
    var heldIDs: [UInt64] {
        queue.compactMap {
            if case .held(let id?, _, nil) = $0 { return id } else { return nil }
        }
    }

    /// Lets everything go on as it is: held frames forwarded unchanged, the frame in progress too (the
    /// sender is gone or intercept was turned off). Returns the ids of the frames released.
    mutating func releaseAll(
        includingPartialFrame: Bool, keepingStageHolds: Bool = false, writes: inout [ByteBuffer]
    ) -> [UInt64] {
        var released: [UInt64] = []
        for index in queue.indices {
            guard case .held(let id?, let bytes, nil) = queue[index] else { continue }
            if keepingStageHolds, id >= Self.firstStageHoldID { continue }
            queue[index] = .held(id: id, bytes: bytes, decision: .pass)
            released.append(id)
        }
        drain(writes: &writes)
        if includingPartialFrame {
            if pending.readableBytes > 0 {
                rewriter?.lostTrack(because: "the sender ended inside a frame")
                writes.append(pending)
                pending = ByteBuffer()
                decidedUpTo = received
            }
            for bytes in awaitingBoundary { writes.append(bytes) }
            awaitingBoundary.removeAll()
        }
        return released
    }

    private mutating func send(_ bytes: ByteBuffer, fromSender: Bool, writes: inout [ByteBuffer]) {
        if queue.isEmpty {
            writes.append(fromSender ? out(bytes) : bytes)
        } else {
            enqueue(.bytes(bytes, fromSender: fromSender))
        }
    }

    /// A whole frame of the sender's on its way out, unchanged: through the rewriter when there is one.
    private mutating func out(_ frame: ByteBuffer) -> ByteBuffer {
        rewriter?.pass(frame) ?? frame
    }

    private mutating func enqueue(_ item: Queued) {
        switch item {
        case .held(_, let bytes, _), .bytes(let bytes, _): queuedBytes += bytes.readableBytes
        }
        queue.append(item)
    }

    /// What a decided held frame becomes on the wire.
    private mutating func apply(_ decision: Decision, to bytes: ByteBuffer, writes: inout [ByteBuffer]) {
        switch decision {
        case .pass, .user(.forward):
            writes.append(out(bytes))
        case .user(.drop):
            rewriter?.lostTrack(because: "a frame was dropped by hand")
        case .user(.replace(let replacement)):
            rewriter?.lostTrack(because: "a frame was replaced by hand")
            writes.append(replacement)
        case .message(let frames, let payload, let isText, let framing):
            refusedMessage = false
            guard let rewriter else {
                if let payload { writes.append(payload) }
                return
            }
            do {
                if let payload {
                    let frame = try rewriter.replace(frames, with: payload, isText: isText, hybi00Framing: framing)
                    writes.append(frame)
                    made.append((frame, payload))
                } else {
                    try rewriter.drop(frames)
                }
            } catch {
                refusals.append(error.description)
                refusedMessage = true
                writes.append(out(bytes))
            }
        case .restOfMessage:
            if refusedMessage { writes.append(out(bytes)) }
        }
    }

    /// Writes from the front of the queue until the first frame still waiting for the user.
    private mutating func drain(writes: inout [ByteBuffer]) {
        while let first = queue.first {
            switch first {
            case .held(_, _, nil):
                return
            case .bytes(let bytes, let fromSender):
                writes.append(fromSender ? out(bytes) : bytes)
                queuedBytes -= bytes.readableBytes
            case .held(_, let bytes, let decision?):
                apply(decision, to: bytes, writes: &writes)
                queuedBytes -= bytes.readableBytes
            }
            queue.removeFirst()
        }
    }
}
