import NIOConcurrencyHelpers
public import NIOCore
public import WSTapCore

/// An open WebSocket connection, client or server side: send messages and frames, receive messages
/// and events, close it. Safe to use from any task; events have one reader at a time.
public final class WebSocketConnection: Sendable {
    /// What the opening handshake settled.
    public let info: ConnectionInfo
    /// Payloads sent from an async sequence are cut into fragments of at most this many bytes (the
    /// original library's `rfc6455-stream-buffer-size`; compressed bytes with permessage-deflate), and
    /// streamed messages received come in chunks of at most this many bytes.
    public let streamBufferSize: Int

    let channel: any Channel
    private let handler: NIOLoopBound<WebSocketChannelHandler>
    /// Internal for the tests that check what a closed connection leaves behind.
    let inbox: ConnectionInbox
    private let roundTrips: RoundTripLog
    private let closedFuture: EventLoopFuture<CloseOutcome>
    private let closedFlag = NIOLockedValueBox(false)

    init(
        info: ConnectionInfo, channel: any Channel, handler: NIOLoopBound<WebSocketChannelHandler>,
        closed: EventLoopFuture<CloseOutcome>, inbox: ConnectionInbox, roundTrips: RoundTripLog,
        streamBufferSize: Int
    ) {
        self.roundTrips = roundTrips
        self.info = info
        self.channel = channel
        self.handler = handler
        self.inbox = inbox
        self.closedFuture = closed
        self.streamBufferSize = streamBufferSize
        closedFuture.whenComplete { [closedFlag] _ in closedFlag.withLockedValue { $0 = true } }
    }

    /// The value the server's ``ServerOptions/connectionSetup`` hook returned for this connection.
    public var state: (any Sendable)? { info.acceptance?.state }

    // MARK: Capabilities (the original library's ws-conn-supports-...)

    /// The protocol the connection speaks (the original library's `ws-connect #:protocol`): what it can do
    /// depends on it.
    public var variant: ProtocolVariant { info.variant }
    /// Whether messages can be sent and received in fragments (`ws-conn-supports-fragmentation?`): RFC 6455
    /// yes, hybi-00 no (so no `finalFragment: false` and no ``receiveStream()`` there).
    public var supportsFragmentation: Bool { info.variant.supportsFragmentation }
    /// Whether a close tells the peer a status code and reason (`ws-conn-signals-status-on-close?`): RFC 6455
    /// yes, hybi-00 no (its close frame has no room for them).
    public var signalsStatusOnClose: Bool { info.variant.signalsStatusOnClose }

    /// Whether this payload type can be sent on this connection (hybi-00: text only).
    public func supportsPayloadType(_ opcode: Opcode) -> Bool {
        opcode == .text || (opcode == .binary && info.variant.supportsBinary)
    }

    /// The connection's event loop (the thread that reads and writes its socket) as a task executor. Code run
    /// with it as its task's executor preference sends and receives without crossing threads (several times
    /// more small messages per second):
    ///
    /// ```swift
    /// try await withTaskExecutorPreference(connection.executor) {
    ///     while let message = await connection.receive() { try await connection.send(message.data) }
    /// }
    /// ```
    ///
    /// Only for code that never blocks nor computes for long: it holds up every connection of that event
    /// loop, their timers included, meanwhile (the server side's ``ServerOptions/runsHandlersOnEventLoop``).
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *)
    public var executor: any TaskExecutor { EventLoopTaskExecutor(channel.eventLoop) }

    // MARK: Sending

    /// Sends text as UTF-8 (the original library's `ws-send!` with a string): a whole text message by
    /// default; with `finalFragment` false a fragment, and `.continuation` for the fragments after the first.
    /// The rest is as for a `ByteBuffer` payload.
    public func send(_ text: String, opcode: Opcode = .text, finalFragment: Bool = true, flush: Bool = true)
        async throws
    {
        try await send(ByteBuffer(string: text), opcode: opcode, finalFragment: finalFragment, flush: flush)
    }

    /// Sends a binary message.
    public func send(bytes: some Sequence<UInt8>) async throws {
        try await send(ByteBuffer(bytes: bytes), opcode: .binary)
    }

    /// Sends one frame: a whole message (`finalFragment` true), or a fragment (then `.continuation`
    /// frames follow). `opcode` is `.text` unless told, as the original library's `ws-send!`. Returns once
    /// the bytes are handed to the socket; with `flush` false (the original library's `#:flush? #f`) the
    /// frame waits to go out with the next flushing send, and this returns once it is queued.
    ///
    /// - Throws: ``ConnectionError``: for an opcode other than `.text`, `.binary` or `.continuation`
    ///   (close with ``close(code:reason:)``, ping with ``ping(_:)``); ``ConnectionError/closing`` once the
    ///   closing handshake has started or the connection is closed; and when the frame breaks the
    ///   fragmentation rules or the variant's. A refused send sends nothing and changes nothing.
    public func send(_ payload: ByteBuffer, opcode: Opcode = .text, finalFragment: Bool = true, flush: Bool = true)
        async throws
    {
        guard opcode == .text || opcode == .binary || opcode == .continuation else {
            throw opcode.isReserved ? ConnectionError.reservedOpcode(opcode) : ConnectionError.notADataFrame(opcode)
        }
        try await sendFrame(payload, opcode: opcode, fin: finalFragment, flush: flush)
    }

    private func sendFrame(_ payload: ByteBuffer, opcode: Opcode, fin: Bool, flush: Bool = true) async throws {
        let handler = self.handler
        if channel.eventLoop.inEventLoop {
            // A handler running on the event loop (ServerOptions.runsHandlersOnEventLoop): no hop.
            try await handler.value.send(payload, opcode: opcode, fin: fin, flush: flush).get()
            return
        }
        try await channel.eventLoop.flatSubmit {
            handler.value.send(payload, opcode: opcode, fin: fin, flush: flush)
        }.get()
    }

    /// Sends a message whose bytes arrive as an async sequence (the original library's input-port payload),
    /// in frames of at most ``streamBufferSize`` payload bytes (compressed bytes, with permessage-deflate),
    /// without holding the whole message. No other message can be sent until it ends.
    ///
    /// When the sequence throws, its error is rethrown and later sends work: if it had yielded no byte yet,
    /// nothing was sent; otherwise the message is finished with what was read so far (a final frame goes
    /// out), and the peer receives a shorter message and cannot tell. Close the connection (say with 1011)
    /// if it must not take it as whole.
    ///
    /// Files go through ``send(contentsOfFile:opcode:)`` and ``send(fileHandle:opcode:)``.
    ///
    /// - Parameter opcode: `.text` (the default) or `.binary`.
    /// - Throws: the sequence's error; ``ConnectionError`` when the message cannot start or the connection
    ///   closes meanwhile.
    public func send<Chunks: AsyncSequence>(stream chunks: Chunks, opcode: Opcode = .text) async throws
    where Chunks.Element == ByteBuffer {
        guard opcode == .text || opcode == .binary else {
            throw opcode.isReserved ? ConnectionError.reservedOpcode(opcode) : ConnectionError.notADataFrame(opcode)
        }
        let handler = self.handler
        let loop = channel.eventLoop
        try await loop.flatSubmit { handler.value.beginStream(opcode: opcode) }.get()
        var yieldedBytes = false
        do {
            for try await chunk in chunks where chunk.readableBytes > 0 {
                yieldedBytes = true
                try await loop.flatSubmit { handler.value.streamPiece(chunk, isFinal: false) }.get()
            }
        } catch {
            if yieldedBytes {
                // Ends the message (what is buffered goes out as its last frame), so later sends work.
                try? await loop.flatSubmit { handler.value.streamPiece(ByteBuffer(), isFinal: true) }.get()
            } else {
                try? await loop.submit { handler.value.dropStream() }.get()
            }
            throw error
        }
        try await loop.flatSubmit { handler.value.streamPiece(ByteBuffer(), isFinal: true) }.get()
    }

    /// hybi-00: frames what it sends, and reads what arrives, in another framing from now on (each way
    /// from the next frame boundary), for peers that switch too. Does nothing on RFC 6455.
    public func switchHybi00Framing(to framing: Hybi00Framing) async {
        let handler = self.handler
        try? await channel.eventLoop.submit { handler.value.switchHybi00Framing(to: framing) }.get()
    }

    /// Sends a ping (its payload at most 125 bytes).
    public func ping(_ payload: ByteBuffer = ByteBuffer()) async throws {
        try await sendFrame(payload, opcode: .ping, fin: true)
    }

    // MARK: Receiving

    /// The next event: a message, a ping or pong, a frame (if frames are reported), and last `.closed`;
    /// `nil` after that.
    public func nextEvent() async -> ConnectionEvent? {
        await inbox.next()
    }

    /// The next whole message, skipping other events; `nil` once the connection is closed.
    public func receive() async -> Message? {
        while let event = await inbox.next() {
            switch event {
            case .message(let message):
                return message
            case .messageChunk(let chunk) where chunk.isFirst:
                // A message asked to stream whose stream was not read: put it back together.
                return await assemble(startingWith: chunk)
            default:
                continue
            }
        }
        return nil
    }

    private func assemble(startingWith first: MessageChunk) async -> Message? {
        var data = first.data
        var isFinal = first.isFinal
        while !isFinal, let event = await inbox.next() {
            if case .messageChunk(var chunk) = event {
                data.writeBuffer(&chunk.data)
                isFinal = chunk.isFinal
            }
        }
        return isFinal ? Message(opcode: first.opcode, data: data) : nil
    }

    /// The next message as a stream of its bytes as they arrive, frame by frame and within frames (the
    /// original library's `ws-recv-stream`), without holding the whole message; other events are skipped.
    /// Text is still checked for UTF-8 as it arrives: at the first bad byte the connection fails (1007)
    /// and the stream throws. Waits for the message to begin; `nil` once the connection is closed.
    /// Chunks hold at most ``streamBufferSize`` bytes; compressed (permessage-deflate) messages come inflated,
    /// in chunks too.
    ///
    /// - Throws: ``ConnectionError/hybi00Streaming`` on a hybi-00 connection (it cannot stream).
    public func receiveStream() async throws -> MessageByteStream? {
        guard info.variant == .rfc6455 else { throw ConnectionError.hybi00Streaming }
        let handler = self.handler
        try? await channel.eventLoop.submit { handler.value.streamNextMessage() }.get()
        while let event = await inbox.next() {
            switch event {
            case .message(let message):
                return MessageByteStream(
                    opcode: message.opcode, first: message.data, isComplete: true, inbox: inbox,
                    chunkSize: streamBufferSize)
            case .messageChunk(let chunk) where chunk.isFirst:
                return MessageByteStream(
                    opcode: chunk.opcode, first: chunk.data, isComplete: chunk.isFinal, inbox: inbox,
                    chunkSize: streamBufferSize)
            default:
                continue
            }
        }
        return nil
    }

    /// The next message as text or bytes (the original library's `ws-recv #:payload-type`): `.auto` gives
    /// text for text messages and bytes for binary ones, `.text` always text (invalid UTF-8 repaired),
    /// `.binary` always bytes. `nil` once the connection is closed.
    public func receive(payloadType: ReceivedPayload.Kind) async -> ReceivedPayload? {
        guard let message = await receive() else { return nil }
        switch payloadType {
        case .text:
            return .text(String(decoding: message.data.readableBytesView, as: UTF8.self))
        case .binary:
            return .bytes(Array(message.data.readableBytesView))
        case .auto:
            return message.opcode == .text
                ? .text(String(decoding: message.data.readableBytesView, as: UTF8.self))
                : .bytes(Array(message.data.readableBytesView))
        }
    }

    /// Whether a message that arrived (whole, or the first chunk of one) waits to be taken: a reply can then
    /// be sent with `flush: false`, to go out in one write with the next one's (as ``WebSocketServer/echo``
    /// does).
    public var holdsMessage: Bool { inbox.holdsMessage }

    /// The messages as an async sequence (ends when the connection closes).
    public var messages: AsyncStream<Message> {
        AsyncStream { [self] in await self.receive() }
    }

    // MARK: Closing

    /// Starts the closing handshake with 1000 (normal closure) and waits until the connection is closed;
    /// see ``close(code:reason:)``.
    @discardableResult
    public func close() async -> CloseOutcome {
        startClosing(code: .normalClosure, reason: "")
        return await closeOutcome()
    }

    /// Starts the closing handshake (no effect if it already started) and waits until the connection is
    /// closed. Returns how it ended. After the peer's close, this answers it with `code` (at once: see
    /// ``closeOutcome()`` for when the library answers by itself). On hybi-00 no code or reason travels.
    ///
    /// - Parameters:
    ///   - code: 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 7.4).
    ///   - reason: cut to 123 bytes of UTF-8 on a character boundary, so that the close frame stays within
    ///     125 bytes.
    /// - Throws: ``ConnectionError/closeCodeNotAllowed(_:)`` for a code an endpoint may not send (1005, 1006
    ///   and 1015 only report; below 1000, 1004, 1016-2999 unassigned, above 4999), before anything is sent.
    @discardableResult
    public func close(code: CloseCode, reason: String = "") async throws -> CloseOutcome {
        guard code.isAllowedOnWire else { throw ConnectionError.closeCodeNotAllowed(code) }
        startClosing(code: code, reason: reason)
        return await closeOutcome()
    }

    private func startClosing(code: CloseCode, reason: String) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.close(code: code, reason: reason) }
    }

    /// Waits until the connection is closed, and returns how it ended.
    ///
    /// A close from the peer is answered by the library, and a peer's protocol violation fails the
    /// connection, once the messages that came before it have been handled: at once when none is waiting
    /// to be taken (nor being handled: taken by the last ``receive()`` or ``nextEvent()`` with no call for
    /// the next event since); otherwise when the reader asks for the next event after taking them, or after
    /// a grace period of at most a second (``ServerOptions/closeTimeout`` if shorter). So a handler that
    /// answers each message and then reads the next gets its answers out before the close.
    public func closeOutcome() async -> CloseOutcome {
        return (try? await closedFuture.get()) ?? CloseOutcome(failure: "the connection failed")
    }

    /// Whether the connection has closed: true from the moment the `.closed` event is ready (so once
    /// ``receive()`` or ``nextEvent()`` returned `nil`, or the handshake ended).
    public var isClosed: Bool { inbox.hasClosed || closedFlag.withLockedValue { $0 } }

    // MARK: Keepalive and backpressure

    /// The round-trip times of the keepalive pings answered so far (``ClientOptions/keepaliveInterval``),
    /// oldest first (the most recent 256).
    public var roundTripTimes: [Duration] { roundTrips.all }

    /// The round-trip time of the last keepalive ping answered.
    public var lastRoundTripTime: Duration? { roundTrips.last }

    /// What the inbox holds and has held (the measure of backpressure).
    var inboxStatistics: InboxStatistics { inbox.statistics }
}
