public import NIOCore

/// The life of one WebSocket connection after its opening handshake, as a pure state machine: bytes
/// and user requests go in, ``ConnectionAction`` values come out for the I/O layer to carry out.
///
/// It is a strict endpoint (RFC 6455 7.1.7, 8.1): any violation the decoder finds fails the
/// connection with the right close code (1002, 1007 at the first invalid UTF-8 byte, 1009), pings are
/// answered with the same payload, nothing is sent after a close, the server closes TCP first and the
/// client waits for it. Nothing after a violation or a close frame is read, but what came before is
/// delivered first: a close from the peer is answered, and a violation fails the connection, once the
/// user has taken what arrived before it (``ConnectionAction/peerRequestedClose``, then
/// ``acknowledgePeerClose(using:)``; ``ConnectionAction/failurePending``, then ``failPending(using:)``), so
/// that replies to those messages still go out. No clock inside: the I/O layer runs the close and idle
/// timers and calls ``closeTimedOut()`` or ``close(code:reason:using:)``.
public struct ConnectionStateMachine: Sendable {
    /// Where the connection is in its life, from open to closed.
    public enum State: Hashable, Sendable {
        /// Messages flow both ways.
        case open
        /// This end sent a close frame and waits for the peer's.
        case closeSent
        /// The peer sent a close frame; this end may still send until it answers with
        /// ``acknowledgePeerClose(using:)`` (or ``close(code:reason:using:)``).
        case closeReceived
        /// A frame from the peer broke the protocol: nothing more is read, and the connection fails with
        /// ``failPending(using:)`` once the user has taken what arrived before that frame. This end may
        /// still send meanwhile (replies to those messages).
        case failing
        /// Both close frames were exchanged; the client waits for the server to end TCP.
        case awaitingTransportClose
        /// Over.
        case closed
    }

    /// How it runs (the hybi-00 framing changes with ``switchHybi00Framing(to:)``).
    public private(set) var configuration: ConnectionConfiguration
    /// Where the connection is now.
    public private(set) var state = State.open
    /// How it ended (filled in as the closing handshake goes).
    public private(set) var outcome = CloseOutcome()

    private var decoder: FrameDecoder
    private var hybi00Decoder: Hybi00FrameDecoder
    private var assembler: MessageAssembler
    /// Whether a fragmented message this end is sending is open.
    private var sendingFragmented = false
    /// Whether the message being received is compressed (RSV1 on its first frame).
    private var receivingCompressed = false
    /// Whether the user asked for the next message to be streamed (``streamNextMessage()``).
    private var streamRequested = false
    /// The opcode of the message being streamed, if one is.
    private var streamingOpcode: Opcode?
    /// Whether a chunk of the message being streamed has been delivered.
    private var streamedAnyChunk = false
    /// Checks the inflated text of the compressed message being streamed.
    private var inflatedText = UTF8Validator()
    /// Whether that text turned out invalid (the rest of the message is dropped).
    private var inflatedTextFailed = false
    /// In ``State/failing``: the close code and reason the connection fails with.
    private var pendingFailure: (code: CloseCode?, reason: String)?

    /// A connection whose opening handshake just finished: open, nothing received or sent yet.
    public init(configuration: ConnectionConfiguration) {
        self.configuration = configuration
        let peer: EndpointRole = configuration.role == .client ? .server : .client
        decoder = FrameDecoder(
            configuration: FrameDecoderConfiguration(
                sender: peer,
                allowedReservedBits: configuration.allowedReservedBits.union(
                    configuration.compression == nil ? [] : .rsv1),
                maxMessageSize: UInt64(configuration.maxMessageSize),
                payloadCaptureLimit: configuration.maxMessageSize))
        hybi00Decoder = Hybi00FrameDecoder(
            framing: configuration.framing, maxFrameSize: UInt64(configuration.maxMessageSize),
            payloadCaptureLimit: configuration.maxMessageSize)
        assembler = MessageAssembler(mode: .whole, maxMessageSize: configuration.maxMessageSize)
    }

    private var peerRole: EndpointRole { configuration.role == .client ? .server : .client }

    /// hybi-00: frames what this end sends, and reads what arrives, in another framing from now on (a frame
    /// being read finishes in the framing it began in). Nothing changes on RFC 6455.
    public mutating func switchHybi00Framing(to framing: Hybi00Framing) {
        guard configuration.variant == .hybi00 else { return }
        configuration.framing = framing
        hybi00Decoder.framing = framing
    }

    // MARK: - Receiving

    /// Bytes arrived from the peer.
    public mutating func bytesReceived(
        _ bytes: ByteBuffer, using generator: inout some RandomNumberGenerator
    ) -> [ConnectionAction] {
        guard state != .closed else { return [] }
        var actions: [ConnectionAction] = []
        switch configuration.variant {
        case .rfc6455:
            decoder.append(bytes)
            while state == .open || state == .closeSent, let frame = decoder.nextFrame() {
                handle(frame, actions: &actions, using: &generator)
            }
            if state == .open || state == .closeSent, let violation = decoder.currentFrameViolations.first {
                violationReceived(
                    violation.kind.closeCode, because: violation.description, actions: &actions, using: &generator)
            }
            streamArrivingFrame(actions: &actions)
        case .hybi00:
            hybi00Decoder.append(bytes)
            while state == .open || state == .closeSent, let frame = hybi00Decoder.nextFrame() {
                handle(frame, actions: &actions)
            }
            if state == .open || state == .closeSent, let violation = hybi00Decoder.currentFrameViolations.first {
                violationReceived(nil, because: violation.description, actions: &actions, using: &generator)
            }
        }
        return actions
    }

    private mutating func handle(
        _ frame: DecodedFrame, actions: inout [ConnectionAction], using generator: inout some RandomNumberGenerator
    ) {
        if configuration.reportsFrames {
            actions.append(.deliver(.frameReceived(frame)))
        }
        if let violation = frame.violations.first {
            violationReceived(
                violation.kind.closeCode, because: violation.description, actions: &actions, using: &generator)
            return
        }
        if frame.header.reservedBits.contains(.rsv1), configuration.compression != nil {
            // permessage-deflate marks only the first frame of a data message (RFC 7692 6).
            if frame.header.opcode.isControl || frame.header.opcode == .continuation {
                violationReceived(
                    .protocolError, because: "RSV1 set on a \(frame.header.opcode.name) frame", actions: &actions,
                    using: &generator)
                return
            }
        }
        if frame.header.opcode.isData, frame.header.opcode != .continuation {
            receivingCompressed = frame.header.reservedBits.contains(.rsv1) && configuration.compression != nil
            startStreamingIfRequested(messageOpcode: frame.header.opcode)
        }
        switch frame.header.opcode {
        case .close:
            let body = frame.closeBody ?? CloseBody(code: nil)
            outcome.receivedCode = body.code
            outcome.receivedReason = body.reason
            peerClosed(actions: &actions)
        case .ping:
            if state == .open {
                writeFrame(opcode: .pong, fin: true, payload: frame.payload, actions: &actions, using: &generator)
            }
            actions.append(.deliver(.ping(frame.payload)))
        case .pong:
            actions.append(.deliver(.pong(frame.payload)))
        default:
            switch assembler.push(frame) {
            case .message(let message)?:
                actions.append(receivingCompressed ? .inflate(message) : .deliver(.message(message)))
            case .chunk(let chunk)?:
                deliverChunk(chunk.data, isFinal: chunk.isFinal, actions: &actions)
            case .failure(let violation)?:
                violationReceived(
                    violation.kind.closeCode, because: violation.description, actions: &actions, using: &generator)
            case .control?, nil:
                break
            }
        }
    }

    private mutating func handle(_ frame: Hybi00Frame, actions: inout [ConnectionAction]) {
        if configuration.reportsFrames {
            actions.append(.deliver(.hybi00FrameReceived(frame)))
        }
        if let violation = frame.violations.first {
            var generator = SystemRandomNumberGenerator()  // hybi-00 frames are never masked
            violationReceived(nil, because: violation.description, actions: &actions, using: &generator)
            return
        }
        if frame.isClose {
            peerClosed(actions: &actions)
        } else if frame.isText {
            actions.append(.deliver(.message(Message(opcode: .text, data: frame.payload))))
        }
    }

    // MARK: - Streaming a message

    /// Streams the next message: its bytes come out as ``ConnectionEvent/messageChunk(_:)`` events as they
    /// arrive (frames and parts of frames) instead of one ``ConnectionEvent/message(_:)`` at its end. A
    /// message partly received already streams from here on (what came before is its first chunk). Text is
    /// still checked for UTF-8 as it arrives and fails the connection at the first bad byte.
    /// A compressed (permessage-deflate) message streams too: its compressed pieces come out as
    /// ``ConnectionAction/inflateChunk(_:)`` for the I/O layer to inflate and hand back through
    /// ``chunkInflated(_:using:)``. RFC 6455 only.
    public mutating func streamNextMessage() -> [ConnectionAction] {
        guard configuration.variant == .rfc6455, state == .open || state == .closeSent else { return [] }
        var actions: [ConnectionAction] = []
        if streamingOpcode != nil || !assembler.isMessageOpen {
            // The next message to start streams (after the rest of one streaming now).
            streamRequested = true
        } else if let chunk = assembler.beginStreaming() {
            streamingOpcode = chunk.opcode
            streamedAnyChunk = false
            deliverChunk(chunk.data, isFinal: false, actions: &actions)
        }
        streamArrivingFrame(actions: &actions)
        return actions
    }

    /// A data message starts: it streams if the user asked for that.
    private mutating func startStreamingIfRequested(messageOpcode: Opcode) {
        guard streamRequested, streamingOpcode == nil else { return }
        streamRequested = false
        streamingOpcode = messageOpcode
        streamedAnyChunk = false
        _ = assembler.beginStreaming()
    }

    /// Passes on what has arrived of a data frame still incomplete, when its message streams.
    private mutating func streamArrivingFrame(actions: inout [ConnectionAction]) {
        guard state == .open || state == .closeSent, streamRequested || streamingOpcode != nil,
            let header = decoder.currentFrameHeader, header.opcode.isData, decoder.currentFrameViolations.isEmpty
        else { return }
        if header.opcode != .continuation, streamingOpcode == nil {
            receivingCompressed = header.reservedBits.contains(.rsv1) && configuration.compression != nil
            startStreamingIfRequested(messageOpcode: header.opcode)
        }
        guard streamingOpcode != nil, let received = decoder.takeReceivedPayload() else { return }
        deliverChunk(received, isFinal: false, actions: &actions)
    }

    private mutating func deliverChunk(_ data: ByteBuffer, isFinal: Bool, actions: inout [ConnectionAction]) {
        guard let opcode = streamingOpcode else { return }
        let chunk = MessageChunk(opcode: opcode, data: data, isFirst: !streamedAnyChunk, isFinal: isFinal)
        actions.append(receivingCompressed ? .inflateChunk(chunk) : .deliver(.messageChunk(chunk)))
        streamedAnyChunk = true
        if isFinal {
            streamingOpcode = nil
            assembler.endStreaming()
        }
    }

    /// The peer's close frame arrived: it starts the closing handshake (the I/O layer acknowledges it once the
    /// events before it are taken) or answers ours.
    private mutating func peerClosed(actions: inout [ConnectionAction]) {
        if state == .open {
            outcome.initiator = peerRole
            state = .closeReceived
            actions.append(.peerRequestedClose)
        } else {
            closingHandshakeDone(actions: &actions)
        }
    }

    /// Both close frames have been exchanged: the server ends TCP, the client waits for that.
    private mutating func closingHandshakeDone(actions: inout [ConnectionAction]) {
        outcome.wasClean = true
        if configuration.role == .server {
            finish(actions: &actions, closeTransport: true)
        } else {
            state = .awaitingTransportClose
        }
    }

    /// A message announced by ``ConnectionAction/inflate(_:)`` has been inflated: text is checked for UTF-8
    /// (1007 when invalid), then the message is delivered. A message that came before the peer's close, or
    /// before a violation, is delivered even when that arrived in the same read (the close is answered, the
    /// connection failed, after it).
    public mutating func messageInflated(
        _ message: Message, using generator: inout some RandomNumberGenerator
    ) -> [ConnectionAction] {
        guard state == .open || state == .closeSent || state == .closeReceived || state == .failing else {
            return []
        }
        if state == .closeReceived || state == .failing {
            let valid = message.opcode != .text || UTF8Validator.isValid(message.data.readableBytesView)
            // The peer is closing, or the connection failing, already: a bad message is dropped rather than
            // answered with a second close.
            return valid ? [.deliver(.message(message))] : []
        }
        var actions: [ConnectionAction] = []
        if message.opcode == .text, !UTF8Validator.isValid(message.data.readableBytesView) {
            violationReceived(
                .invalidPayloadData, because: "inflated text message is not valid UTF-8", actions: &actions,
                using: &generator)
        } else {
            actions.append(.deliver(.message(message)))
        }
        return actions
    }

    /// A piece of a streamed compressed message announced by ``ConnectionAction/inflateChunk(_:)`` has been
    /// inflated: text is checked for UTF-8 across the pieces (1007 at the first bad byte), then the bytes
    /// are delivered as a ``ConnectionEvent/messageChunk(_:)``. The I/O layer may cut what one piece inflated
    /// to into several chunks, in order: `isFirst` on the first chunk of the message, `isFinal` on its last.
    public mutating func chunkInflated(
        _ chunk: MessageChunk, using generator: inout some RandomNumberGenerator
    ) -> [ConnectionAction] {
        guard state == .open || state == .closeSent || state == .closeReceived || state == .failing else {
            return []
        }
        if chunk.isFirst {
            inflatedText = UTF8Validator()
            inflatedTextFailed = false
        }
        guard !inflatedTextFailed else { return [] }
        if chunk.opcode == .text {
            let invalid =
                inflatedText.validate(chunk.data.readableBytesView) != nil
                || (chunk.isFinal && !inflatedText.isAtCharacterBoundary)
            if invalid {
                inflatedTextFailed = true
                var actions: [ConnectionAction] = []
                if state == .open {
                    violationReceived(
                        .invalidPayloadData, because: "inflated text message is not valid UTF-8", actions: &actions,
                        using: &generator)
                }
                return actions
            }
        }
        return [.deliver(.messageChunk(chunk))]
    }

    /// Inflating a compressed message failed (corrupt data, or larger than allowed): fail the connection.
    public mutating func inflationFailed(
        code: CloseCode, reason: String, using generator: inout some RandomNumberGenerator
    ) -> [ConnectionAction] {
        guard state == .open || state == .closeSent else { return [] }
        var actions: [ConnectionAction] = []
        violationReceived(code, because: reason, actions: &actions, using: &generator)
        return actions
    }

    // MARK: - Sending

    /// Sends a whole message: text (must be valid UTF-8) or binary.
    public mutating func sendMessage(
        _ payload: ByteBuffer, opcode: Opcode, using generator: inout some RandomNumberGenerator
    ) throws(ConnectionError) -> [ConnectionAction] {
        try sendFrame(payload, opcode: opcode, fin: true, using: &generator)
    }

    /// Sends one frame of a message: the first with `.text` or `.binary`, the rest with
    /// `.continuation`, the last with `fin` set.
    public mutating func sendFrame(
        _ payload: ByteBuffer, opcode: Opcode, fin: Bool, using generator: inout some RandomNumberGenerator
    ) throws(ConnectionError) -> [ConnectionAction] {
        try sendFrame(payload, opcode: opcode, fin: fin, compressed: false, using: &generator)
    }

    /// Sends one frame whose payload the caller compressed with permessage-deflate (RSV1 is set on the
    /// first frame of the message). The caller checks text for UTF-8, and the frame with
    /// ``checkSend(opcode:fin:payloadSize:)``, before compressing: a refused frame must not advance the
    /// compressor.
    public mutating func sendFrame(
        _ payload: ByteBuffer, opcode: Opcode, fin: Bool, compressed: Bool,
        using generator: inout some RandomNumberGenerator
    ) throws(ConnectionError) -> [ConnectionAction] {
        try checkSend(opcode: opcode, fin: fin, payloadSize: payload.readableBytes)
        var actions: [ConnectionAction] = []
        switch configuration.variant {
        case .rfc6455:
            if !opcode.isControl {
                if opcode == .text, fin, !compressed, !UTF8Validator.isValid(payload.readableBytesView) {
                    throw .notUTF8
                }
                sendingFragmented = !fin
            }
            let marksCompressed =
                compressed && configuration.compression != nil && opcode.isData
                && opcode != .continuation
            writeFrame(
                opcode: opcode, fin: fin, payload: payload, reservedBits: marksCompressed ? .rsv1 : [],
                actions: &actions, using: &generator)
        case .hybi00:
            var buffer = ByteBuffer()
            Hybi00FrameEncoder.writeText(payload.readableBytesView, framing: configuration.framing, into: &buffer)
            actions.append(.write(buffer))
        }
        return actions
    }

    /// Throws what ``sendFrame(_:opcode:fin:using:)`` would throw for such a frame now, without sending
    /// anything (text is not checked for UTF-8 here). Close frames go through ``close(code:reason:using:)``;
    /// reserved opcodes are refused; pings and pongs are allowed (RFC 6455).
    public func checkSend(opcode: Opcode, fin: Bool, payloadSize: Int) throws(ConnectionError) {
        guard state == .open || state == .closeReceived || state == .failing else { throw .closing }
        guard opcode != .close else { throw .closeThroughSend }
        guard !opcode.isReserved else { throw .reservedOpcode(opcode) }
        switch configuration.variant {
        case .rfc6455:
            if opcode.isControl {
                guard payloadSize <= 125 else { throw .controlTooLong }
            } else if opcode == .continuation {
                guard sendingFragmented else { throw .noMessageOpen }
            } else {
                guard !sendingFragmented else { throw .messageStillOpen }
            }
        case .hybi00:
            guard fin, opcode != .continuation else { throw .hybi00Fragments }
            guard !opcode.isControl else { throw .hybi00Control }
            guard opcode == .text else { throw .hybi00Binary }
        }
    }

    /// Answers the peer's close frame: a close frame echoing its status code (RFC 6455 5.5.1), then the
    /// server ends TCP. No effect in any state but ``State/closeReceived``.
    public mutating func acknowledgePeerClose(using generator: inout some RandomNumberGenerator) -> [ConnectionAction] {
        guard state == .closeReceived else { return [] }
        var actions: [ConnectionAction] = []
        // An empty close answers an empty one.
        writeClose(code: outcome.receivedCode, reason: "", actions: &actions, using: &generator)
        closingHandshakeDone(actions: &actions)
        return actions
    }

    /// Starts the closing handshake (no effect when it has already started). After the peer's close
    /// it answers that close with this code. While the connection is failing (``State/failing``) it fails
    /// now, with the code of the violation.
    ///
    /// A code that may not be sent on the wire is replaced by 1000 (``ConnectionError/closeCodeNotAllowed(_:)``
    /// says why, for callers that check first); the reason is cut to fit 123 bytes.
    public mutating func close(
        code: CloseCode? = .normalClosure, reason: String = "", using generator: inout some RandomNumberGenerator
    ) -> [ConnectionAction] {
        if state == .failing { return failPending(using: &generator) }
        if state == .closeReceived {
            guard configuration.variant == .rfc6455 else { return acknowledgePeerClose(using: &generator) }
            var actions: [ConnectionAction] = []
            let sendable = code.map { $0.isAllowedOnWire ? $0 : .normalClosure }
            writeClose(code: sendable, reason: reason, actions: &actions, using: &generator)
            closingHandshakeDone(actions: &actions)
            return actions
        }
        guard state == .open else { return [] }
        var actions: [ConnectionAction] = []
        outcome.initiator = configuration.role
        let sendable = code.map { $0.isAllowedOnWire ? $0 : .normalClosure }
        writeClose(code: sendable, reason: reason, actions: &actions, using: &generator)
        state = .closeSent
        return actions
    }

    /// The peer did not finish the closing handshake in time: end TCP.
    public mutating func closeTimedOut() -> [ConnectionAction] {
        guard state == .closeSent || state == .awaitingTransportClose else { return [] }
        var actions: [ConnectionAction] = []
        if state == .closeSent {
            outcome.failure = "the peer did not answer the close frame in time"
        }
        finish(actions: &actions, closeTransport: true)
        return actions
    }

    /// The TCP connection ended (by the peer, or after ``ConnectionAction/closeTransport``).
    public mutating func transportClosed(error: String? = nil) -> [ConnectionAction] {
        guard state != .closed else { return [] }
        var actions: [ConnectionAction] = []
        if state == .closeReceived {
            // The peer closed TCP right after its close frame, before this end answered.
            outcome.wasClean = true
        } else if state == .failing, let pendingFailure {
            outcome.wasClean = false
            outcome.failure = pendingFailure.reason
        } else if state != .awaitingTransportClose {
            outcome.wasClean = false
            outcome.failure = outcome.failure ?? error ?? "the connection ended without a closing handshake"
        }
        finish(actions: &actions, closeTransport: false)
        return actions
    }

    /// Fails the connection for the violation that put it in ``State/failing`` (the user has taken what
    /// came before it, or the grace period is over): a close frame with its code, then TCP. No effect in
    /// any other state.
    public mutating func failPending(using generator: inout some RandomNumberGenerator) -> [ConnectionAction] {
        guard state == .failing, let pendingFailure else { return [] }
        var actions: [ConnectionAction] = []
        fail(pendingFailure.code, because: pendingFailure.reason, actions: &actions, using: &generator)
        return actions
    }

    // MARK: - Pieces

    /// Something the peer sent breaks the protocol. While open, nothing more is read and the failure waits
    /// until the user has taken what came before (``ConnectionAction/failurePending``); otherwise the
    /// connection fails at once.
    private mutating func violationReceived(
        _ code: CloseCode?, because reason: String, actions: inout [ConnectionAction],
        using generator: inout some RandomNumberGenerator
    ) {
        guard state == .open else {
            fail(code, because: reason, actions: &actions, using: &generator)
            return
        }
        pendingFailure = (code, reason)
        state = .failing
        actions.append(.failurePending)
    }

    /// Fails the connection (RFC 6455 7.1.7): a close frame with the code if none was sent yet, then TCP.
    private mutating func fail(
        _ code: CloseCode?, because reason: String, actions: inout [ConnectionAction],
        using generator: inout some RandomNumberGenerator
    ) {
        outcome.failure = reason
        if state == .open || state == .closeReceived || state == .failing {
            outcome.initiator = configuration.role
            writeClose(code: code ?? .protocolError, reason: reason, actions: &actions, using: &generator)
        }
        outcome.wasClean = false
        finish(actions: &actions, closeTransport: true)
    }

    private mutating func finish(actions: inout [ConnectionAction], closeTransport: Bool) {
        state = .closed
        if closeTransport { actions.append(.closeTransport) }
        actions.append(.deliver(.closed(outcome)))
    }

    /// Writes our close frame: in hybi-00 the closing frame of the connection's framing (it carries no code
    /// or reason); in RFC 6455 a close frame with `code` and `reason` (cut to fit), noted as the code sent.
    private mutating func writeClose(
        code: CloseCode?, reason: String, actions: inout [ConnectionAction],
        using generator: inout some RandomNumberGenerator
    ) {
        if configuration.variant == .hybi00 {
            var buffer = ByteBuffer()
            Hybi00FrameEncoder.writeClose(framing: configuration.framing, into: &buffer)
            actions.append(.write(buffer))
            return
        }
        outcome.sentCode = code
        let body = CloseBody(code: code, reason: code == nil ? "" : Self.fitReason(reason))
        writeFrame(
            opcode: .close, fin: true, payload: ByteBuffer(bytes: body.bytes), actions: &actions, using: &generator)
    }

    private func writeFrame(
        opcode: Opcode, fin: Bool, payload: ByteBuffer, reservedBits: ReservedBits = [],
        actions: inout [ConnectionAction], using generator: inout some RandomNumberGenerator
    ) {
        let key: MaskingKey? = configuration.role == .client ? .random(using: &generator) : nil
        let header = FrameHeader(
            fin: fin, reservedBits: reservedBits, opcode: opcode, maskingKey: key,
            payloadLength: UInt64(payload.readableBytes))
        var buffer = ByteBuffer()
        if key == nil, payload.readableBytes >= Self.payloadWrittenApart {
            // Unmasked, the payload goes out as it is, after its header: a large message is not copied
            // into a fresh buffer of its size (which the allocator would then keep).
            buffer.reserveCapacity(header.size)
            FrameEncoder.write(header: header, payload: UnsafeRawBufferPointer(start: nil, count: 0), into: &buffer)
            actions.append(.write(buffer))
            actions.append(.write(payload))
            return
        }
        buffer.reserveCapacity(header.size + payload.readableBytes)
        FrameEncoder.write(header: header, payload: payload, into: &buffer)
        actions.append(.write(buffer))
    }

    /// Unmasked payloads of at least this many bytes are written apart from their header (two writes).
    static let payloadWrittenApart = 16 * 1024

    /// A close reason cut to at most 123 bytes on a character boundary.
    static func fitReason(_ reason: String) -> String {
        var result = ""
        var size = 0
        for character in reason {
            size += character.utf8.count
            if size > 123 { break }
            result.append(character)
        }
        return result
    }
}
