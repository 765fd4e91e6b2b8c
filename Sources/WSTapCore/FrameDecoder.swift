public import NIOCore

/// A tolerant, incremental RFC 6455 frame decoder.
///
/// Feed it bytes in any chunking with ``append(_:)-(ByteBuffer)``, then call ``nextFrame()`` until it
/// returns `nil`. It never traps on any input: every frame comes out, with its payload unmasked and
/// with the list of rules it breaks (``Violation``). Besides per-frame rules it follows the stream:
/// fragmentation, UTF-8 across fragments (reported at the first bad byte, see
/// ``currentFrameViolations``), message size, and frames after a close.
///
/// Payloads are streamed into a reusable buffer as they arrive, so a frame larger than the capture
/// limit costs bounded memory, and a consumer that releases each frame before asking for the next one
/// causes no allocation per frame.
public struct FrameDecoder: Sendable {
    /// What the decoder checks and keeps.
    public var configuration: FrameDecoderConfiguration

    /// Bytes received and not yet consumed.
    private var input = ByteBuffer()
    /// Where the decoder is within the current frame.
    private var state = State.header
    /// Collects the payload of the current frame (reused from frame to frame).
    private var accumulator = ByteBuffer()
    /// The offset in the stream of the next byte of `input`.
    public private(set) var streamOffset = 0
    /// The fragmented message in progress, if any.
    private var message: MessageProgress?
    /// Whether the sender has sent a close frame.
    public private(set) var hasSeenClose = false

    /// A payload buffer with more room than this is not kept for the next frame: the frame takes it, so a
    /// connection that once passed a large message does not hold that much for as long as it lives (issue 21:
    /// 10,000 proxied connections each held their largest frame, both ways). Smaller ones are reused.
    package static let reusedAccumulatorCapacity = 16 << 10
    /// Pending bytes (an incomplete header) are copied out of a received buffer with more room than this, so
    /// that the decoder does not keep the reader's whole buffer (often 64 KiB) for a few bytes.
    package static let keptInputCapacity = 1 << 10

    /// The bytes of buffer storage the decoder holds between frames (its pending input and its payload
    /// buffer), to check that it keeps little once the frames are taken.
    package var heldCapacity: Int { input.capacity + accumulator.capacity }

    private enum State {
        case header
        case payload(FrameProgress)
    }

    private struct FrameProgress {
        var header: FrameHeader
        var remaining: UInt64
        var phase: Int
        var violations: [Violation]
        var streamOffset: Int
        /// Whether this frame's bytes belong to a text message being checked for UTF-8.
        var checksUTF8: Bool
    }

    private struct MessageProgress {
        var opcode: Opcode
        var size: UInt64
        var checksUTF8: Bool
        var utf8 = UTF8Validator()
        var utf8Failed = false
        var sizeFlagged = false
    }

    /// A decoder at the start of a stream, checking what `configuration` says.
    public init(configuration: FrameDecoderConfiguration = FrameDecoderConfiguration()) {
        self.configuration = configuration
    }

    /// Adds received bytes. The buffer is kept without copying when the decoder has nothing pending.
    public mutating func append(_ buffer: ByteBuffer) {
        input.appendPending(buffer)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        input.writeBytes(bytes)
    }

    /// Bytes received that belong to a frame not yet complete (its header or its remaining payload
    /// counted as far as received).
    public var pendingByteCount: Int { input.readableBytes }

    /// The header of the frame whose payload is arriving, if any.
    public var currentFrameHeader: FrameHeader? {
        if case .payload(let progress) = state { return progress.header }
        return nil
    }

    /// Violations already known about the frame still arriving. A strict endpoint checks this after
    /// every ``nextFrame()`` that returned `nil`, so that invalid UTF-8 fails the connection at the first
    /// bad byte rather than at the end of the frame.
    public var currentFrameViolations: [Violation] {
        if case .payload(let progress) = state { return progress.violations }
        return []
    }

    /// Takes the payload bytes of the frame still arriving that have been received so far (unmasked), so
    /// that a consumer can pass them on before the frame is complete; the frame, once complete, carries
    /// only the bytes received after this. `nil` when no frame is arriving or none of its payload is here.
    public mutating func takeReceivedPayload() -> ByteBuffer? {
        guard case .payload = state, accumulator.readableBytes > 0 else { return nil }
        let received = accumulator
        accumulator = ByteBuffer()
        return received
    }

    /// The next complete frame, or `nil` when more bytes are needed.
    public mutating func nextFrame() -> DecodedFrame? {
        while true {
            switch state {
            case .header:
                guard let header = readHeader() else {
                    releaseInput()
                    return nil
                }
                var progress = beginFrame(header)
                if progress.remaining == 0 {
                    return finishFrame(&progress, payload: ByteBuffer())
                }
                // Fast path: an unmasked payload that is already here whole is handed out as a slice.
                if header.maskingKey == nil, UInt64(input.readableBytes) >= progress.remaining,
                    progress.remaining <= UInt64(max(0, configuration.payloadCaptureLimit)),
                    let payload = input.readSlice(length: Int(progress.remaining))
                {
                    streamOffset &+= payload.readableBytes
                    if progress.checksUTF8 {
                        var open = message
                        payload.withUnsafeReadableBytes { Self.checkUTF8(of: $0, message: &open, progress: &progress) }
                        message = open
                    }
                    progress.remaining = 0
                    return finishFrame(&progress, payload: payload)
                }
                accumulator.clear()
                // A masked payload that is already here whole is unmasked at once, without parking the
                // frame's progress in `state`.
                if UInt64(input.readableBytes) >= progress.remaining {
                    consumePayload(&progress)
                    return finishFrame(&progress, payload: takeAccumulated())
                }
                state = .payload(progress)
            case .payload(var progress):
                state = .header
                consumePayload(&progress)
                if progress.remaining == 0 {
                    return finishFrame(&progress, payload: takeAccumulated())
                }
                state = .payload(progress)
                releaseInput()
                return nil
            }
        }
    }

    /// Ends the stream: reports the frame left incomplete, if any, and drops what was pending. The stream
    /// offset and whether a close was seen are kept (they describe the stream that ended).
    public mutating func finish() -> IncompleteFrame? {
        defer {
            input = ByteBuffer()
            state = .header
            message = nil
        }
        switch state {
        case .header:
            guard input.readableBytes > 0 else { return nil }
            return IncompleteFrame(
                header: nil, receivedPayload: ByteBuffer(), unparsedBytes: input, streamOffset: streamOffset)
        case .payload(var progress):
            progress.violations.append(
                Violation(.incompleteFrame, "\(progress.remaining) of \(progress.header.payloadLength) bytes missing"))
            return IncompleteFrame(
                header: progress.header, receivedPayload: accumulator, unparsedBytes: ByteBuffer(),
                streamOffset: progress.streamOffset, violations: progress.violations)
        }
    }

    // MARK: - Steps

    /// The payload collected for the frame that ends now; a large buffer goes with it instead of staying for
    /// the next frame.
    private mutating func takeAccumulated() -> ByteBuffer {
        let payload = accumulator
        if accumulator.capacity > Self.reusedAccumulatorCapacity { accumulator = ByteBuffer() }
        return payload
    }

    /// More bytes are needed: lets go of the buffer they came in once it is read (or holds only a few
    /// pending bytes, which are copied), so that the reader can reuse or free it.
    private mutating func releaseInput() {
        if input.readableBytes == 0 {
            if input.capacity > 0 { input = ByteBuffer() }
        } else if input.capacity > Self.keptInputCapacity, input.readableBytes <= Self.keptInputCapacity / 2 {
            var pending = ByteBuffer()
            pending.writeImmutableBuffer(input)
            input = pending
        }
    }

    /// Parses a header from `input` when all its bytes are there, consuming them.
    private mutating func readHeader() -> FrameHeader? {
        let available = input.readableBytes
        guard available >= 2 else { return nil }
        return input.withUnsafeReadableBytes { bytes -> FrameHeader? in
            let first = bytes[0]
            let second = bytes[1]
            let length7 = second & 0x7F
            let masked = second & 0x80 != 0
            let encoding: PayloadLengthEncoding = length7 == 127 ? .bits64 : (length7 == 126 ? .bits16 : .bits7)
            let size = 2 + encoding.extendedLengthSize + (masked ? 4 : 0)
            guard available >= size else { return nil }
            var length = UInt64(length7)
            var index = 2
            if encoding != .bits7 {
                length = 0
                for _ in 0..<encoding.extendedLengthSize {
                    length = length << 8 | UInt64(bytes[index])
                    index += 1
                }
            }
            let key = masked ? MaskingKey(bytes[index], bytes[index + 1], bytes[index + 2], bytes[index + 3]) : nil
            return FrameHeader(
                fin: first & 0x80 != 0, reservedBits: ReservedBits(rawValue: first), opcode: Opcode(lowBitsOf: first),
                maskingKey: key, payloadLength: length, lengthEncoding: encoding)
        }.map { header in
            input.moveReaderIndex(forwardBy: header.size)
            streamOffset &+= header.size
            return header
        }
    }

    /// Checks everything the header alone tells and updates the stream state.
    private mutating func beginFrame(_ header: FrameHeader) -> FrameProgress {
        var violations: [Violation] = []
        let opcode = header.opcode
        if opcode.isReserved {
            violations.append(Violation(.reservedOpcode, "opcode \(opcode.rawValue)"))
        }
        let unexpectedBits = header.reservedBits.subtracting(configuration.allowedReservedBits)
        if !unexpectedBits.isEmpty {
            violations.append(Violation(.reservedBitSet, Self.describe(unexpectedBits)))
        }
        if opcode.isControl {
            if header.payloadLength > 125 {
                violations.append(Violation(.controlFrameTooLong, "\(header.payloadLength) bytes"))
            }
            if !header.fin {
                violations.append(Violation(.fragmentedControlFrame, opcode.name))
            }
        }
        switch configuration.sender {
        case .client? where header.maskingKey == nil:
            violations.append(Violation(.clientFrameUnmasked))
        case .server? where header.maskingKey != nil:
            violations.append(Violation(.serverFrameMasked))
        default:
            break
        }
        if header.hasNonMinimalLength {
            violations.append(
                Violation(.nonMinimalLength, "\(header.payloadLength) in \(header.lengthEncoding.bitCount) bits"))
        }
        if header.payloadLength >> 63 != 0 {
            violations.append(Violation(.lengthHighBitSet))
        }
        if hasSeenClose {
            violations.append(Violation(.frameAfterClose, opcode.name))
        }
        if header.payloadLength > configuration.maxFrameSize {
            violations.append(
                Violation(.frameTooBig, "\(header.payloadLength) bytes, limit \(configuration.maxFrameSize)"))
        }
        var checksUTF8 = false
        if opcode == .close {
            hasSeenClose = true
        } else if opcode.isData {
            if opcode == .continuation {
                if message == nil {
                    violations.append(Violation(.continuationWithoutMessage))
                }
            } else {
                if let open = message {
                    violations.append(Violation(.dataFrameInsideMessage, "\(open.opcode.name) message still open"))
                }
                // A compressed message (RSV1 with an extension that allows it) is checked after inflating.
                let compressed =
                    header.reservedBits.contains(.rsv1)
                    && configuration.allowedReservedBits.contains(.rsv1)
                message = MessageProgress(
                    opcode: opcode, size: 0, checksUTF8: opcode == .text && configuration.validatesUTF8 && !compressed)
            }
            if var open = message {
                open.size = open.size.addingReportingOverflow(header.payloadLength).partialValue
                if open.size > configuration.maxMessageSize, !open.sizeFlagged {
                    open.sizeFlagged = true
                    violations.append(
                        Violation(.messageTooBig, "\(open.size) bytes so far, limit \(configuration.maxMessageSize)"))
                }
                checksUTF8 = open.checksUTF8 && !open.utf8Failed
                message = open
            }
        }
        return FrameProgress(
            header: header, remaining: header.payloadLength, phase: 0, violations: violations,
            streamOffset: streamOffset &- header.size, checksUTF8: checksUTF8)
    }

    /// Moves as much of the payload as has arrived from `input` into the accumulator, unmasking it.
    private mutating func consumePayload(_ progress: inout FrameProgress) {
        let count = Int(min(UInt64(input.readableBytes), progress.remaining))
        guard count > 0 else { return }
        let source = input
        let kept = min(max(0, configuration.payloadCaptureLimit - accumulator.readableBytes), count)
        var open = message
        source.withUnsafeReadableBytes { raw in
            let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
            guard let chunkStart = chunk.baseAddress else { return }
            if kept > 0 {
                accumulator.writeWithUnsafeMutableBytes(minimumWritableBytes: kept) { destination in
                    guard let target = destination.baseAddress else { return 0 }
                    if let key = progress.header.maskingKey {
                        Masking.apply(key: key, phase: progress.phase, from: chunkStart, to: target, count: kept)
                    } else {
                        target.copyMemory(from: chunkStart, byteCount: kept)
                    }
                    if progress.checksUTF8 {
                        Self.checkUTF8(
                            of: UnsafeRawBufferPointer(start: target, count: kept), message: &open,
                            progress: &progress)
                    }
                    return kept
                }
            }
            guard kept < count, progress.checksUTF8 else { return }
            // Past the capture limit: unmask into scratch space only to keep checking the text.
            let rest = UnsafeRawBufferPointer(rebasing: chunk[kept...])
            guard let key = progress.header.maskingKey else {
                Self.checkUTF8(of: rest, message: &open, progress: &progress)
                return
            }
            withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 8) { scratch in
                guard let scratchStart = scratch.baseAddress else { return }
                var offset = 0
                while offset < rest.count, progress.checksUTF8 {
                    let n = min(4096, rest.count - offset)
                    Masking.apply(
                        key: key, phase: progress.phase &+ kept &+ offset, from: chunkStart + kept + offset,
                        to: scratchStart, count: n)
                    Self.checkUTF8(
                        of: UnsafeRawBufferPointer(start: scratchStart, count: n), message: &open, progress: &progress)
                    offset += n
                }
            }
        }
        message = open
        input.moveReaderIndex(forwardBy: count)
        streamOffset &+= count
        progress.remaining &-= UInt64(count)
        progress.phase = (progress.phase &+ count) & 3
    }

    /// Feeds payload bytes of a text message to the message's UTF-8 validator.
    private static func checkUTF8(
        of bytes: UnsafeRawBufferPointer, message: inout MessageProgress?, progress: inout FrameProgress
    ) {
        guard var open = message else { return }
        let before = open.utf8.validatedCount
        if let bad = open.utf8.validate(bytes) {
            open.utf8Failed = true
            progress.checksUTF8 = false
            progress.violations.append(Violation(.invalidUTF8, "at byte \(before + bad) of the message"))
        }
        message = open
    }

    /// Completes a frame: end-of-message and close-body checks.
    private mutating func finishFrame(_ progress: inout FrameProgress, payload: ByteBuffer) -> DecodedFrame {
        let header = progress.header
        if header.opcode.isData, header.fin, let open = message {
            if open.checksUTF8, !open.utf8Failed, !open.utf8.isAtCharacterBoundary {
                progress.violations.append(
                    Violation(.invalidUTF8, "message ends inside a character at byte \(open.utf8.validatedCount)"))
            }
            message = nil
        }
        if header.opcode == .close {
            progress.violations.append(contentsOf: CloseBody.parse(payload.readableBytesView).violations)
        }
        return DecodedFrame(
            header: header, payload: payload, violations: progress.violations, streamOffset: progress.streamOffset)
    }

    private static func describe(_ bits: ReservedBits) -> String {
        var names: [String] = []
        if bits.contains(.rsv1) { names.append("RSV1") }
        if bits.contains(.rsv2) { names.append("RSV2") }
        if bits.contains(.rsv3) { names.append("RSV3") }
        return names.joined(separator: "+")
    }
}
