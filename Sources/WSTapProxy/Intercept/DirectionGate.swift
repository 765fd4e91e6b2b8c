import NIOCore

/// Decides, for one direction of a proxied connection, when the bytes a sender wrote go on to the
/// receiver: at once (nothing intercepted, the fast path), at frame boundaries (so frames can be held
/// and injected ones slip in between whole frames), or after the user decided on a held frame.
///
/// It works on stream offsets: frames partition the sender's byte stream, and the tap reports where
/// each one ends. Pure bookkeeping, no I/O: every call appends what to write, in order, to `writes`.
struct DirectionGate {
    private enum Queued {
        case held(id: UInt64?, bytes: ByteBuffer, decision: HoldDecision?)
        case bytes(ByteBuffer)
    }

    /// Whether frames of this direction may be held.
    var intercepting = false
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
        if !intercepting, queue.isEmpty, pending.readableBytes == 0, awaitingBoundary.isEmpty {
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
            } else if !queue.isEmpty {
                enqueue(.bytes(bytes))
            } else {
                writes.append(bytes)
            }
        }
        // At a boundary: what was injected meanwhile goes now (or behind what is held).
        for bytes in awaitingBoundary { send(bytes, writes: &writes) }
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
        guard !intercepting || pending.readableBytes > holdLimit else { return }
        writes.append(pending)
        decidedUpTo = received
        pending = ByteBuffer()
    }

    /// Bytes the user made, for the receiver: between whole frames, behind anything held.
    mutating func inject(_ bytes: ByteBuffer, writes: inout [ByteBuffer]) {
        if decidedUpTo == lastFrameEnd {
            send(bytes, writes: &writes)
        } else {
            awaitingBoundary.append(bytes)
        }
    }

    /// The user decided on a held frame. Returns false when this gate holds no frame with that id.
    mutating func decide(_ holdID: UInt64, _ decision: HoldDecision, writes: inout [ByteBuffer]) -> Bool {
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
    mutating func releaseAll(includingPartialFrame: Bool, writes: inout [ByteBuffer]) -> [UInt64] {
        let released = heldIDs
        for index in queue.indices {
            if case .held(let id, let bytes, nil) = queue[index] {
                queue[index] = .held(id: id, bytes: bytes, decision: .forward)
            }
        }
        drain(writes: &writes)
        if includingPartialFrame {
            if pending.readableBytes > 0 {
                writes.append(pending)
                pending = ByteBuffer()
                decidedUpTo = received
            }
            for bytes in awaitingBoundary { writes.append(bytes) }
            awaitingBoundary.removeAll()
        }
        return released
    }

    private mutating func send(_ bytes: ByteBuffer, writes: inout [ByteBuffer]) {
        if queue.isEmpty {
            writes.append(bytes)
        } else {
            enqueue(.bytes(bytes))
        }
    }

    private mutating func enqueue(_ item: Queued) {
        switch item {
        case .held(_, let bytes, _), .bytes(let bytes): queuedBytes += bytes.readableBytes
        }
        queue.append(item)
    }

    /// Writes from the front of the queue until the first frame still waiting for the user.
    private mutating func drain(writes: inout [ByteBuffer]) {
        while let first = queue.first {
            switch first {
            case .held(_, _, nil):
                return
            case .held(_, let bytes, .forward?), .bytes(let bytes):
                writes.append(bytes)
                queuedBytes -= bytes.readableBytes
            case .held(_, let bytes, .drop?):
                queuedBytes -= bytes.readableBytes
            case .held(_, let bytes, .replace(let replacement)?):
                writes.append(replacement)
                queuedBytes -= bytes.readableBytes
            }
            queue.removeFirst()
        }
    }
}
