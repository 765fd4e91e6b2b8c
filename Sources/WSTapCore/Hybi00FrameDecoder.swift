public import NIOCore

/// A tolerant, incremental decoder for hybi-00 frames in either framing.
///
/// The framing can be changed at any point with ``framing``; the change applies from the next frame
/// boundary (a frame being read finishes in the framing it began in). Like ``FrameDecoder`` it never
/// traps and reports what is wrong as ``Violation`` values.
public struct Hybi00FrameDecoder: Sendable {
    /// The framing that the next frame is read in.
    public var framing: Hybi00Framing
    /// Frames with more payload bytes are flagged ``Violation/Kind/frameTooBig``.
    public var maxFrameSize: UInt64
    /// At most this many payload bytes of a frame are kept.
    public var payloadCaptureLimit: Int

    private var input = ByteBuffer()
    private var state = State.frameStart
    private var accumulator = ByteBuffer()
    /// The offset in the stream of the next unread byte.
    public private(set) var streamOffset = 0
    /// Whether a closing frame has been seen.
    public private(set) var hasSeenClose = false

    private enum State {
        case frameStart
        /// Old framing, high bit clear: bytes up to a 0xFF sentinel.
        case sentinelPayload(FrameProgress)
        /// Old framing, high bit set: 7-bit length groups.
        case lengthGroups(FrameProgress, length: UInt64, overflowed: Bool)
        /// A known number of payload bytes.
        case countedPayload(FrameProgress, remaining: UInt64)
    }

    private struct FrameProgress {
        var framing: Hybi00Framing
        var typeByte: UInt8
        var declaredLength: UInt64?
        var received: UInt64 = 0
        var violations: [Violation]
        var streamOffset: Int
        var utf8: UTF8Validator?
        var sizeFlagged = false
    }

    /// A decoder at the start of a stream read in `framing`; frames declaring more than `maxFrameSize` bytes are
    /// flagged, and at most `payloadCaptureLimit` bytes of each payload are kept.
    public init(framing: Hybi00Framing = .old, maxFrameSize: UInt64 = UInt64.max, payloadCaptureLimit: Int = Int.max) {
        self.framing = framing
        self.maxFrameSize = maxFrameSize
        self.payloadCaptureLimit = payloadCaptureLimit
    }

    /// Adds received bytes.
    public mutating func append(_ buffer: ByteBuffer) {
        input.appendPending(buffer)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        input.writeBytes(bytes)
    }

    /// Whether a frame has begun and not yet ended.
    public var isInsideFrame: Bool {
        if case .frameStart = state { return false }
        return true
    }

    /// Violations already known about the frame still arriving (for example invalid UTF-8).
    public var currentFrameViolations: [Violation] {
        switch state {
        case .frameStart: return []
        case .sentinelPayload(let progress), .lengthGroups(let progress, _, _), .countedPayload(let progress, _):
            return progress.violations
        }
    }

    /// The next complete frame, or `nil` when more bytes are needed.
    public mutating func nextFrame() -> Hybi00Frame? {
        while input.readableBytes > 0 || isCompleteEmptyFrame {
            switch state {
            case .frameStart:
                guard startFrame() else { return nil }
            case .sentinelPayload(var progress):
                state = .frameStart
                if readUntilSentinel(&progress) {
                    return finish(&progress)
                }
                state = .sentinelPayload(progress)
                return nil
            case .lengthGroups(var progress, var length, var overflowed):
                state = .frameStart
                guard let done = readLengthGroups(&length, overflowed: &overflowed) else {
                    state = .lengthGroups(progress, length: length, overflowed: overflowed)
                    return nil
                }
                progress.declaredLength = length
                if done, overflowed {
                    progress.violations.append(Violation(.hybi00BinaryFrame, "length over 64 bits"))
                }
                classifyLengthPrefixed(&progress)
                state = .countedPayload(progress, remaining: length)
            case .countedPayload(var progress, var remaining):
                state = .frameStart
                readCounted(&progress, remaining: &remaining)
                if remaining == 0 {
                    return finish(&progress)
                }
                state = .countedPayload(progress, remaining: remaining)
                return nil
            }
        }
        return nil
    }

    /// A counted frame with nothing left to read completes without more input.
    private var isCompleteEmptyFrame: Bool {
        if case .countedPayload(_, let remaining) = state { return remaining == 0 }
        return false
    }

    /// Ends the stream and reports a frame left incomplete, if any.
    public mutating func finish() -> Hybi00Frame? {
        defer {
            state = .frameStart
            input = ByteBuffer()
        }
        switch state {
        case .frameStart:
            // A frame start too short to read (new framing needs 9 header bytes).
            guard let type = input.getInteger(at: input.readerIndex, as: UInt8.self) else { return nil }
            let start = streamOffset
            let kept = min(input.readableBytes - 1, max(0, payloadCaptureLimit))
            let rest = input.getSlice(at: input.readerIndex + 1, length: kept) ?? ByteBuffer()
            streamOffset &+= input.readableBytes
            return Hybi00Frame(
                framing: framing, typeByte: type, declaredLength: nil, payload: rest,
                violations: [Violation(.incompleteFrame, "stream ended inside a hybi-00 frame header")],
                streamOffset: start, wireLength: streamOffset - start, isComplete: false)
        case .sentinelPayload(var progress), .lengthGroups(var progress, _, _), .countedPayload(var progress, _):
            progress.violations.append(Violation(.incompleteFrame, "stream ended inside a hybi-00 frame"))
            var frame = finish(&progress)
            frame.isComplete = false
            return frame
        }
    }

    // MARK: - Steps

    /// Reads the start of a frame and moves to the state that reads the rest. Returns false when more
    /// bytes are needed.
    private mutating func startFrame() -> Bool {
        let start = streamOffset
        switch framing {
        case .old:
            guard let type = input.readInteger(as: UInt8.self) else { return false }
            streamOffset &+= 1
            var progress = FrameProgress(
                framing: .old, typeByte: type, declaredLength: nil, violations: [], streamOffset: start)
            addFrameAfterCloseViolation(&progress)
            accumulator.clear()
            if type & 0x80 == 0 {
                if type == 0x00 {
                    progress.utf8 = UTF8Validator()
                } else {
                    progress.violations.append(
                        Violation(.hybi00UnknownFrameType, "sentinel frame type 0x\(hexByte(type))"))
                }
                state = .sentinelPayload(progress)
            } else {
                state = .lengthGroups(progress, length: 0, overflowed: false)
            }
            return true
        case .new:
            guard input.readableBytes >= 9,
                let type = input.readInteger(as: UInt8.self),
                let length = input.readInteger(endianness: .big, as: UInt64.self)
            else { return false }
            streamOffset &+= 9
            var progress = FrameProgress(
                framing: .new, typeByte: type, declaredLength: length, violations: [], streamOffset: start)
            addFrameAfterCloseViolation(&progress)
            accumulator.clear()
            switch type {
            case 0xFF: progress.utf8 = UTF8Validator()
            case 0x00:
                if length > 0 {
                    progress.violations.append(Violation(.hybi00CloseWithPayload, CountWords.of(length, "byte")))
                }
            default:
                progress.violations.append(Violation(.hybi00UnknownFrameType, "frame type 0x\(hexByte(type))"))
            }
            if length > maxFrameSize {
                progress.sizeFlagged = true
                progress.violations.append(
                    Violation(.frameTooBig, "\(CountWords.of(length, "byte")), limit \(maxFrameSize)"))
            }
            state = .countedPayload(progress, remaining: length)
            return true
        }
    }

    private mutating func addFrameAfterCloseViolation(_ progress: inout FrameProgress) {
        if hasSeenClose {
            progress.violations.append(Violation(.frameAfterClose))
        }
    }

    /// Old framing's high-bit types: 0xFF with length 0 is the close; anything else is a binary frame
    /// that hybi-00 never defined for use.
    private func classifyLengthPrefixed(_ progress: inout FrameProgress) {
        let length = progress.declaredLength ?? 0
        if progress.typeByte == 0xFF, length == 0 { return }
        progress.violations.append(
            Violation(.hybi00BinaryFrame, "type 0x\(hexByte(progress.typeByte)), \(CountWords.of(length, "byte"))"))
        if length > maxFrameSize {
            progress.sizeFlagged = true
            progress.violations.append(
                Violation(.frameTooBig, "\(CountWords.of(length, "byte")), limit \(maxFrameSize)"))
        }
    }

    /// Reads 7-bit length groups. Returns `nil` when more bytes are needed, `true` at the last group.
    private mutating func readLengthGroups(_ length: inout UInt64, overflowed: inout Bool) -> Bool? {
        while let byte = input.readInteger(as: UInt8.self) {
            streamOffset &+= 1
            if length >> 57 != 0 { overflowed = true }
            length = length << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { return true }
        }
        return nil
    }

    /// Reads a sentinel frame's bytes. Returns true once the 0xFF has been consumed.
    private mutating func readUntilSentinel(_ progress: inout FrameProgress) -> Bool {
        let source = input
        let (count, found) = source.withUnsafeReadableBytes { raw -> (Int, Bool) in
            if let end = raw.firstIndex(of: 0xFF) { return (end, true) }
            return (raw.count, false)
        }
        take(count, into: &progress)
        input.moveReaderIndex(forwardBy: count)
        streamOffset &+= count
        if found {
            input.moveReaderIndex(forwardBy: 1)
            streamOffset &+= 1
        }
        return found
    }

    private mutating func readCounted(_ progress: inout FrameProgress, remaining: inout UInt64) {
        let count = Int(min(UInt64(input.readableBytes), remaining))
        take(count, into: &progress)
        input.moveReaderIndex(forwardBy: count)
        streamOffset &+= count
        remaining &-= UInt64(count)
    }

    /// Keeps (up to the capture limit) and checks the next `count` input bytes.
    private mutating func take(_ count: Int, into progress: inout FrameProgress) {
        guard count > 0 else { return }
        let source = input
        let kept = min(max(0, payloadCaptureLimit - accumulator.readableBytes), count)
        source.withUnsafeReadableBytes { raw in
            let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
            if kept > 0 {
                accumulator.writeBytes(UnsafeRawBufferPointer(rebasing: chunk[0..<kept]))
            }
            if var validator = progress.utf8 {
                let before = validator.validatedCount
                if let bad = validator.validate(chunk) {
                    progress.violations.append(Violation(.invalidUTF8, "at byte \(before + bad) of the text"))
                    progress.utf8 = nil
                } else {
                    progress.utf8 = validator
                }
            }
        }
        progress.received &+= UInt64(count)
        if progress.received > maxFrameSize, !progress.sizeFlagged {
            progress.sizeFlagged = true
            progress.violations.append(Violation(.frameTooBig, "over \(maxFrameSize) bytes"))
        }
    }

    private mutating func finish(_ progress: inout FrameProgress) -> Hybi00Frame {
        if let validator = progress.utf8, !validator.isAtCharacterBoundary {
            progress.violations.append(Violation(.invalidUTF8, "text ends inside a character"))
        }
        let frame = Hybi00Frame(
            framing: progress.framing, typeByte: progress.typeByte, declaredLength: progress.declaredLength,
            payload: accumulator, violations: progress.violations, streamOffset: progress.streamOffset,
            wireLength: streamOffset - progress.streamOffset)
        if frame.isClose { hasSeenClose = true }
        return frame
    }
}
