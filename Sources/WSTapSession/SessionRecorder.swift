import Foundation
public import NIOCore
import NIOPosix
public import WSTapCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes traffic events to a recording file as they happen (docs/recording-format.md).
///
/// ``record(_:)`` and ``recordStreamBytes(_:connection:direction:)`` only queue (no encoding, no copy
/// of payload bytes) and return: they never block and never drop anything. A writer on NIO's thread pool
/// encodes what is queued and writes it with one `write` per batch. It starts ``RecorderOptions/batchDelay``
/// after the first item queued while it was idle (a timer on an event loop, then the pool), so under load it
/// takes many frames at once and the sources hand over each frame with a lock and an append, not a thread
/// wake-up; a process killed with SIGKILL still leaves every line written up to a few milliseconds before.
/// Safe to call from any thread; the events of one connection must come in order (as they do from one
/// event loop).
///
/// When the disk is slower than the traffic, the queue grows: above ``RecorderOptions/highWaterMark``
/// bytes the recorder is behind (``isBehind``), and the sources of traffic, which see it as their
/// ``TrafficBackpressure``, stop reading their sockets until it is back down to
/// ``RecorderOptions/lowWaterMark``. Memory stays bounded by the high mark and what is in flight in
/// one read of each connection.
public final class SessionRecorder: TrafficBackpressure, @unchecked Sendable {
    /// The recording's path.
    public let path: String
    /// The header written on the first line.
    public let header: RecordingHeader
    private let options: RecorderOptions
    private let sidePath: String

    private enum Item {
        case event(TrafficEvent, size: Int)
        case bytes(UInt64, TrafficDirection, ByteBuffer)

        /// What the item counts for against the water marks.
        var size: Int {
            switch self {
            case .event(_, let size): return size
            case .bytes(_, _, let bytes): return bytes.readableBytes
            }
        }
    }

    // Shared with the writer, under `condition`.
    private let condition = NSCondition()
    private var backlog: RecordingBacklog<Item>
    private var closing = false
    /// Whether a writer run is due or running (at most one at a time: it alone touches the writer's state
    /// below, and the lock hands that state from one run to the next).
    private var writerIsScheduled = false
    /// What sources asked to be told when the backlog has caught up.
    private var caughtUpActions: [@Sendable () -> Void] = []
    /// Tells ``behindChanged`` of each change in order, off the callers' threads.
    private let notifications = DispatchQueue(label: "wstap-recorder-notifications")
    private let behindChanged: (@Sendable (Bool) -> Void)?
    /// Callers of `flush()` waiting.
    private var waitersForFlush = 0
    private var finished = false
    private var failureValue: RecordingError?
    private var linesWritten = 0

    // Only the writer touches these.
    private let descriptor: Int32
    private var sideDescriptor: Int32 = -1
    private var sideOffset: UInt64 = 0
    private var encoder: RecordingLineEncoder
    private var streams: [StreamKey: DirectionStream] = [:]
    /// Every byte so far of each direction of a hybi-00 connection (up to ``historyLimit``): when its
    /// framing is switched, the proxy decodes the stream again from the start and reports its frames
    /// again, and they are recorded with their bytes again.
    private var histories: [StreamKey: ByteBuffer] = [:]
    /// Where the bytes of frames held by intercept were put, for when they are released.
    private var heldWire: [UInt64: FrameWire] = [:]
    /// A frame's wire bytes and the raw bytes before it, as cut from a stream (reused for every frame).
    private var taken = WirePieces()
    private var skipped = WirePieces()
    /// The vectors of one `writev` to the side file (reused).
    private var vectors: [iovec] = []
    /// At least as much as the proxy's tap keeps for decoding hybi-00 again (`TrafficTap.redecodeLimit`).
    private static let historyLimit = 4 << 20

    private struct StreamKey: Hashable {
        var connection: UInt64
        var direction: TrafficDirection
    }

    /// Creates (or truncates) the file and writes the header line.
    /// `behindChanged` hears (in order, on a thread of the recorder's) when the recorder falls behind the
    /// traffic (true) and when it catches up (false).
    public init(
        path: String, mode: RecordingMode, wstapVersion: String, startedAt: TrafficTimestamp,
        options: RecorderOptions = RecorderOptions(), behindChanged: (@Sendable (Bool) -> Void)? = nil
    ) throws(RecordingError) {
        self.path = path
        self.options = options
        self.behindChanged = behindChanged
        backlog = RecordingBacklog(highWaterMark: options.highWaterMark, lowWaterMark: options.lowWaterMark)
        let sideName = (path.split(separator: "/").last.map(String.init) ?? path) + ".payloads"
        sidePath = RecordingReader.sibling(of: path, named: sideName)
        header = RecordingHeader(
            wstapVersion: wstapVersion, mode: mode, startedAt: startedAt.wallSeconds,
            startedMonotonicNanoseconds: startedAt.monotonicNanoseconds, sideFileName: sideName)
        encoder = RecordingLineEncoder(textLimit: options.textLimit)
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RecordingError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        // A side file left by an earlier recording of the same name belongs to that one.
        unlink(sidePath)
        encoder.header(header)
        if let error = encoder.withBytes({ writeAll($0, to: descriptor, path: path) }) {
            closeDescriptor(descriptor)
            throw error
        }
        encoder.removeAll()
    }

    /// Queues one event (a message event is passed by: its frames hold it). In ``RecorderOptions/WireSource/streamBytes`` mode the bytes of a frame the
    /// sender wrote must have been given to ``recordStreamBytes(_:connection:direction:)`` before.
    public func record(_ event: TrafficEvent) {
        if case .message = event { return }  // not recorded: their frames hold them
        var event = event
        var size = 256
        if case .frame(var seen) = event {
            // The payload comes from the stream bytes; not holding the event's buffer lets the decoder
            // reuse it.
            if options.wireSource == .streamBytes, seen.disposition.isFromSender,
                case .rfc6455(var frame) = seen.content
            {
                frame.payload = ByteBuffer()
                seen.content = .rfc6455(frame)
                event = .frame(seen)
            }
            size += seen.inflatedPayload?.readableBytes ?? 0
            switch seen.content {
            case .rfc6455(let frame): size += frame.payload.readableBytes
            case .hybi00(let frame): size += frame.payload.readableBytes
            }
        }
        enqueue(.event(event, size: size))
    }

    /// Queues bytes that passed one way on a connection (in order, all of them from the first byte after
    /// the opening handshake): the wire bytes recorded frames are cut from.
    public func recordStreamBytes(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection) {
        enqueue(.bytes(connection, direction, bytes))
    }

    /// The first write error, if writing stopped.
    public var failure: RecordingError? {
        condition.lock()
        defer { condition.unlock() }
        return failureValue
    }

    /// Lines written so far, the header included.
    public var lineCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return linesWritten
    }

    /// Whether so much waits to be written that the sources of traffic should stop reading.
    public var isBehind: Bool {
        condition.lock()
        defer { condition.unlock() }
        return backlog.isBehind
    }

    /// Calls `action` once the recorder is no longer behind (at once if it is not); see
    /// ``TrafficBackpressure/whenCaughtUp(_:)``.
    public func whenCaughtUp(_ action: @escaping @Sendable () -> Void) {
        condition.lock()
        guard backlog.isBehind else {
            condition.unlock()
            action()
            return
        }
        caughtUpActions.append(action)
        condition.unlock()
    }

    /// Writes what is queued and closes the files (blocking the caller until then). Later calls to record are
    /// ignored.
    public func close() {
        condition.lock()
        guard !closing else {
            while !finished { condition.wait() }
            condition.unlock()
            return
        }
        closing = true
        // A run already due finishes first; then this thread writes what is left.
        while writerIsScheduled { condition.wait() }
        writerIsScheduled = true
        condition.unlock()
        writeQueued()
        closeDescriptor(descriptor)
        if sideDescriptor >= 0 { closeDescriptor(sideDescriptor) }
        condition.lock()
        finished = true
        let resumed = backlog.stopWaiting() ? caughtUp() : []
        condition.broadcast()
        condition.unlock()
        for action in resumed { action() }
    }

    /// Waits until everything queued so far is written.
    public func flush() {
        condition.lock()
        waitersForFlush += 1
        while !backlog.isEmpty, !finished, failureValue == nil { condition.wait() }
        waitersForFlush -= 1
        condition.unlock()
    }

    /// Queues an item (never waits): above the high-water mark the recorder is behind, and the sources
    /// pause.
    private func enqueue(_ item: Item) {
        condition.lock()
        guard !closing, failureValue == nil else {
            condition.unlock()
            return
        }
        let fellBehind = backlog.append(item, size: item.size)
        // Announced under the lock, so that the announcements keep the order of the changes.
        if fellBehind { announce(behind: true) }
        let schedules = !writerIsScheduled
        writerIsScheduled = true
        condition.unlock()
        // One run takes everything queued until it finds nothing left.
        if schedules { scheduleWriter() }
    }

    /// Runs the writer on NIO's thread pool after the batch delay (a timer on an event loop: the caller's own
    /// when it is one of NIO's, so scheduling costs it no wake-up).
    private func scheduleWriter() {
        let delay = options.batchDelay
        MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: delay) { [self] in
            // Run whatever the pool's state: what is queued must be written, and `close()` waits for this run.
            NIOThreadPool.singleton.submit { [self] _ in writeQueued() }
        }
    }

    /// Tells ``behindChanged`` (in order, on the notification queue). Called under `condition`.
    private func announce(behind: Bool) {
        guard let behindChanged else { return }
        notifications.async { behindChanged(behind) }
    }

    /// No longer behind: announces it and returns the actions waiting for it (to run outside the lock).
    /// Called under `condition`.
    private func caughtUp() -> [@Sendable () -> Void] {
        announce(behind: false)
        defer { caughtUpActions.removeAll() }
        return caughtUpActions
    }

    // MARK: - The writer

    /// Takes and writes batches until nothing is queued, then marks the writer idle (the next item queued
    /// schedules it again). Runs on the thread pool, or in ``close()`` on the caller's thread.
    private func writeQueued() {
        while true {
            condition.lock()
            if backlog.items.isEmpty {
                writerIsScheduled = false
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = backlog.takeAll()
            condition.unlock()
            let batchSize = batch.reduce(0) { $0 + $1.size }
            let failed = failure != nil
            let written = failed ? (count: 0, error: nil) : write(batch)
            condition.lock()
            linesWritten += written.count
            if let error = written.error, failureValue == nil { failureValue = error }
            var resumed: [@Sendable () -> Void] = []
            if backlog.written(batchSize) || (failureValue != nil && backlog.stopWaiting()) {
                // Caught up (or nothing more will be written): the sources read again.
                resumed = caughtUp()
            }
            // Wake `flush()` once everything is written.
            if waitersForFlush > 0 { condition.broadcast() }
            condition.unlock()
            for action in resumed { action() }
        }
    }

    /// Encodes and writes a batch; returns the number of lines written.
    private func write(_ batch: [Item]) -> (count: Int, error: RecordingError?) {
        var count = 0
        for item in batch {
            switch item {
            case .bytes(let connection, let direction, let bytes):
                let key = StreamKey(connection: connection, direction: direction)
                if let stream = streams[key] {
                    stream.append(bytes)
                } else {
                    let stream = DirectionStream()
                    stream.append(bytes)
                    streams[key] = stream
                }
                if var history = histories.removeValue(forKey: key), history.readableBytes <= Self.historyLimit {
                    var copy = bytes
                    history.writeBuffer(&copy)
                    histories[key] = history
                }
            case .event(let event, _):
                count += encode(event)
            }
            if encoder.count >= 1 << 20, let error = drainEncoder() { return (count, error) }
        }
        if let error = drainEncoder() { return (count, error) }
        return (count, nil)
    }

    private func drainEncoder() -> RecordingError? {
        guard encoder.count > 0 else { return nil }
        let error = encoder.withBytes { writeAll($0, to: descriptor, path: path) }
        encoder.removeAll()
        return error
    }

    /// Encodes one event (and any bytes no frame took before it); returns the number of lines.
    private func encode(_ event: TrafficEvent) -> Int {
        switch event {
        case .connectionOpened(let opened):
            if opened.variant == .hybi00 {
                for direction in TrafficDirection.allCases {
                    histories[StreamKey(connection: opened.connection, direction: direction)] = ByteBuffer()
                }
            }
            encoder.event(event, wire: .missing)
            return 1
        case .frame(let seen):
            var lines = 1
            let wire: FrameWire
            if options.wireSource == .streamBytes, seen.disposition.isFromSender {
                (wire, lines) = streamWire(seen)
            } else if let holdID = seen.disposition.holdID, seen.disposition != .edited(holdID),
                let held = heldWire[holdID]
            {
                // Released or dropped: the very bytes that were held.
                wire = held
            } else {
                wire = Self.wireFromContent(seen.content).map { place(WirePieces($0)) } ?? .missing
            }
            switch seen.disposition {
            case .held(let holdID): heldWire[holdID] = wire
            case .released(let holdID), .dropped(let holdID), .edited(let holdID): heldWire[holdID] = nil
            case .relayed, .injected, .replaced, .removed, .rewritten: break
            }
            encoder.event(event, wire: wire)
            return lines
        case .message:
            return 0  // their frames hold them
        case .leftoverBytes(let connection, let direction, let bytes, let at):
            if options.wireSource == .streamBytes {
                let key = StreamKey(connection: connection, direction: direction)
                skipped.removeAll()
                if let stream = streams[key] { stream.takeAll(into: &skipped) }
                guard !skipped.isEmpty else { return 0 }
                encodeRaw(connection: connection, direction: direction, at: at)
            } else {
                skipped.removeAll()
                skipped.append(bytes)
                encodeRaw(connection: connection, direction: direction, at: at)
            }
            return 1
        case .connectionClosed(let closed):
            var lines = 1
            for direction in TrafficDirection.allCases {
                let key = StreamKey(connection: closed.connection, direction: direction)
                histories[key] = nil
                if let stream = streams.removeValue(forKey: key), stream.byteCount > 0 {
                    skipped.removeAll()
                    stream.takeAll(into: &skipped)
                    encodeRaw(connection: closed.connection, direction: direction, at: closed.at)
                    lines += 1
                }
            }
            encoder.event(event, wire: .missing)
            return lines
        default:
            encoder.event(event, wire: .missing)
            return 1
        }
    }

    /// The wire bytes of a frame the sender wrote, cut from its direction's stream (or, for a frame
    /// decoded again after a framing switch, from the connection's history); and the number of lines
    /// written, counting raw bytes that no frame took before it.
    private func streamWire(_ seen: TrafficEvent.FrameSeen) -> (FrameWire, lines: Int) {
        let (offset, length) = Self.streamPlace(seen.content)
        let key = StreamKey(connection: seen.connection, direction: seen.direction)
        guard let stream = streams[key] else { return (.missing, 1) }
        let startOffset = stream.startOffset
        if offset < startOffset {
            // Decoded again: the bytes passed already.
            let end = offset + length
            if end > startOffset {
                skipped.removeAll()
                taken.removeAll()
                _ = stream.take(offset: startOffset, length: end - startOffset, skipped: &skipped, taken: &taken)
            }
            guard let history = histories[key],
                let bytes = history.getSlice(at: history.readerIndex + offset, length: length)
            else { return (.missing, 1) }
            taken.removeAll()
            taken.append(bytes)
            return (place(taken), 1)
        }
        skipped.removeAll()
        taken.removeAll()
        guard stream.take(offset: offset, length: length, skipped: &skipped, taken: &taken) else {
            return (.missing, 1)
        }
        var lines = 1
        if !skipped.isEmpty {
            encodeRaw(connection: seen.connection, direction: seen.direction, at: seen.at)
            lines += 1
        }
        return (place(taken), lines)
    }

    /// Encodes a raw event for the bytes in `skipped`.
    private func encodeRaw(connection: UInt64, direction: TrafficDirection, at: TrafficTimestamp) {
        encoder.event(
            .leftoverBytes(connection: connection, direction: direction, bytes: ByteBuffer(), at: at),
            wire: place(skipped))
    }

    /// Inline, or appended to the side file (straight from the slices, one `writev`) when large.
    private func place(_ pieces: WirePieces) -> FrameWire {
        guard pieces.count > options.inlineWireLimit else { return .inline(pieces.joined()) }
        if sideDescriptor < 0 {
            sideDescriptor = open(sidePath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if sideDescriptor < 0 { return .inline(pieces.joined()) }
        }
        let offset = sideOffset
        if writeAll(sideDescriptor, pieces.slices, vectors: &vectors, path: sidePath) != nil {
            return .inline(pieces.joined())
        }
        sideOffset += UInt64(pieces.count)
        return .sideFile(offset: offset, length: pieces.count)
    }

    /// Where a frame the sender wrote lies in its direction's stream.
    private static func streamPlace(_ content: TrafficEvent.FrameSeen.Content) -> (offset: Int, length: Int) {
        switch content {
        case .rfc6455(let frame): return (frame.streamOffset, Int(clamping: frame.wireLength))
        case .hybi00(let frame): return (frame.streamOffset, frame.wireLength)
        }
    }

    /// A frame's wire bytes rebuilt from the event, when it holds the whole payload.
    private static func wireFromContent(_ content: TrafficEvent.FrameSeen.Content) -> ByteBuffer? {
        switch content {
        case .rfc6455(let frame): return frame.wireBytes
        case .hybi00: return nil
        }
    }
}

/// Writes all of `bytes` to the file at `path`.
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) -> RecordingError? {
    DescriptorWriter.writeAll(bytes, to: descriptor).map {
        RecordingError.cannotWrite(path: path, reason: String(cString: strerror($0)))
    }
}

/// At most this many vectors go to one `writev` (Linux's `IOV_MAX`).
private let maxVectorsPerWrite = 1024

/// Writes all the bytes of `slices` in order with `writev` (`vectors` is scratch space), retrying after
/// interruptions and short writes.
private func writeAll(_ descriptor: Int32, _ slices: [ByteBuffer], vectors: inout [iovec], path: String)
    -> RecordingError?
{
    vectors.removeAll(keepingCapacity: true)
    for slice in slices {
        // The pointers stay valid while `slices` holds the buffers, unchanged, until this returns.
        slice.withUnsafeReadableBytes { raw in
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count))
        }
    }
    var first = 0
    while first < vectors.count {
        let written = vectors.withUnsafeMutableBufferPointer { all -> Int in
            guard let base = all.baseAddress else { return 0 }
            return writev(descriptor, base + first, Int32(min(all.count - first, maxVectorsPerWrite)))
        }
        if written < 0 {
            if errno == EINTR { continue }
            return RecordingError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        // Skip what was written; a vector written in part keeps its rest.
        var rest = written
        while first < vectors.count, rest >= vectors[first].iov_len {
            rest -= vectors[first].iov_len
            first += 1
        }
        if rest > 0 {
            vectors[first].iov_base = vectors[first].iov_base.map { $0 + rest }
            vectors[first].iov_len -= rest
        }
    }
    return nil
}

private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #else
        _ = Darwin.close(descriptor)
    #endif
}
