import NIOConcurrencyHelpers
public import NIOCore
public import WSTapCore

/// An open WebSocket connection, client or server side: send messages and frames, receive messages
/// and events, close it. Safe to use from any task; events have one reader at a time.
public final class WebSocketConnection: Sendable {
    /// What the opening handshake settled.
    public let info: ConnectionInfo
    /// Payloads sent from an async sequence are cut into fragments of at most this many bytes (the
    /// original library's `rfc6455-stream-buffer-size`).
    public let streamBufferSize: Int

    let channel: any Channel
    private let handler: NIOLoopBound<WebSocketChannelHandler>
    private let inbox: ConnectionInbox
    private let closedFuture: EventLoopFuture<CloseOutcome>
    private let closedFlag = NIOLockedValueBox(false)

    init(
        info: ConnectionInfo, channel: any Channel, handler: NIOLoopBound<WebSocketChannelHandler>,
        closed: EventLoopFuture<CloseOutcome>, inbox: ConnectionInbox, streamBufferSize: Int = 65536
    ) {
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

    public var variant: ProtocolVariant { info.variant }
    public var supportsFragmentation: Bool { info.variant.supportsFragmentation }
    public var signalsStatusOnClose: Bool { info.variant.signalsStatusOnClose }

    /// Whether this payload type can be sent on this connection (hybi-00: text only).
    public func supportsPayloadType(_ opcode: Opcode) -> Bool {
        opcode == .text || (opcode == .binary && info.variant.supportsBinary)
    }

    // MARK: Sending

    /// Sends a text message.
    public func send(_ text: String) async throws {
        try await send(ByteBuffer(string: text), opcode: .text)
    }

    /// Sends a binary message.
    public func send(bytes: some Sequence<UInt8>) async throws {
        try await send(ByteBuffer(bytes: bytes), opcode: .binary)
    }

    /// Sends one frame: a whole message (`finalFragment` true), or a fragment (then `.continuation`
    /// frames follow). Returns once the bytes are handed to the socket.
    public func send(_ payload: ByteBuffer, opcode: Opcode, finalFragment: Bool = true) async throws {
        let handler = self.handler
        try await channel.eventLoop.flatSubmit {
            handler.value.send(payload, opcode: opcode, fin: finalFragment)
        }.get()
    }

    /// Sends a message whose bytes arrive as an async sequence, as fragments of at most
    /// ``streamBufferSize`` bytes, without holding the whole message.
    public func send<Chunks: AsyncSequence>(stream chunks: Chunks, opcode: Opcode) async throws
    where Chunks.Element == ByteBuffer {
        var pending = ByteBuffer()
        var first = true
        for try await var chunk in chunks {
            pending.writeBuffer(&chunk)
            while pending.readableBytes > streamBufferSize, let piece = pending.readSlice(length: streamBufferSize) {
                try await send(piece, opcode: first ? opcode : .continuation, finalFragment: false)
                first = false
            }
        }
        try await send(pending, opcode: first ? opcode : .continuation, finalFragment: true)
    }

    /// Sends a ping.
    public func ping(_ payload: ByteBuffer = ByteBuffer()) async throws {
        try await send(payload, opcode: .ping)
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
            if case .message(let message) = event { return message }
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

    /// The messages as an async sequence (ends when the connection closes).
    public var messages: AsyncStream<Message> {
        AsyncStream { [self] in await self.receive() }
    }

    // MARK: Closing

    /// Starts the closing handshake (no effect if it already started) and waits until the connection is
    /// closed. Returns how it ended.
    @discardableResult
    public func close(code: CloseCode = .normalClosure, reason: String = "") async -> CloseOutcome {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.close(code: code, reason: reason) }
        return await closeOutcome()
    }

    /// Waits until the connection is closed, and returns how it ended. (A close from the peer is answered
    /// once the events before it have been taken, or after a grace period of at most a second.)
    public func closeOutcome() async -> CloseOutcome {
        return (try? await closedFuture.get()) ?? CloseOutcome(failure: "the connection failed")
    }

    /// Whether the connection has closed.
    public var isClosed: Bool { closedFlag.withLockedValue { $0 } }
}
