public import NIOCore
import WSTapCompression
public import WSTapCore

/// One connection's traffic read the same way for every source (the proxies, `connect`, `serve`, the
/// mock server, the client replayer): the bytes each way decoded into frames with their violations,
/// compressed messages inflated, data frames joined into messages. It never changes the bytes.
///
/// Payloads are kept up to the capture limit per frame and per message, so memory stays bounded whatever
/// passes; every frame is still fully checked. Not thread-safe: a source uses it on one event loop (or
/// under its own lock).
public struct ConnectionTap {
    /// The capture limit sources use unless told otherwise (`--capture-limit`): 1 MiB.
    public static let defaultCaptureLimit = 1 << 20

    /// The payload bytes kept per frame and per message.
    public let captureLimit: Int
    private var frames: TrafficTap
    /// permessage-deflate inspectors per direction, when the handshake agreed on compression.
    private var clientInflater: PerMessageDeflateInspector?
    private var serverInflater: PerMessageDeflateInspector?
    private var clientMessages: MessageJoiner
    private var serverMessages: MessageJoiner
    /// The bytes kept of a message: the capture limit, but with compression at least what is inflated.
    private let messageLimit: Int
    /// Whether the handshake agreed on permessage-deflate (RSV1 marks compressed messages).
    public let isCompressed: Bool
    /// Whether data frames are joined into message events (``TrafficConsumer/wantsMessages``).
    public let joinsMessages: Bool

    /// A tap for connection `connection`, whose handshake settled `variant` (for hybi-00, the framing its
    /// frames start in) and, when `compression` is given, permessage-deflate with those parameters; data frames
    /// are joined into message events unless `joinsMessages` is false (they cost work on every frame).
    public init(
        connection: UInt64, variant: ProtocolVariant, framing: Hybi00Framing = .old,
        compression: PerMessageDeflateParameters? = nil, captureLimit: Int = Self.defaultCaptureLimit,
        joinsMessages: Bool = true
    ) {
        self.joinsMessages = joinsMessages
        let limit = max(0, captureLimit)
        self.captureLimit = limit
        isCompressed = compression != nil
        frames = TrafficTap(
            connection: connection, variant: variant, framing: framing,
            allowedReservedBits: compression != nil ? .rsv1 : [], payloadCaptureLimit: limit)
        if let compression {
            // Inflated bytes are kept up to the capture limit, but at least 1 MiB: a tight capture limit
            // bounds the wire bytes kept; the messages stay readable.
            let kept = max(limit, 1 << 20)
            clientInflater = try? PerMessageDeflateInspector(agreed: compression, sender: .client, maxMessageSize: kept)
            serverInflater = try? PerMessageDeflateInspector(agreed: compression, sender: .server, maxMessageSize: kept)
        }
        messageLimit = compression != nil ? max(limit, 1 << 20) : limit
        clientMessages = MessageJoiner(captureLimit: messageLimit)
        serverMessages = MessageJoiner(captureLimit: messageLimit)
    }

    /// The connection's number, as in the events.
    public var connection: UInt64 { frames.connection }
    /// The protocol variant the handshake settled.
    public var variant: ProtocolVariant { frames.variant }
    /// The last close code the client sent, if any.
    public var clientCloseCode: CloseCode? { frames.clientCloseCode }
    /// The last close code the server sent, if any.
    public var serverCloseCode: CloseCode? { frames.serverCloseCode }
    /// The reason of the first close frame seen that carried one, either way.
    public var closeReason: String { frames.closeReason }
    /// Whether a close frame passed each way.
    public var sawBothCloses: Bool { frames.sawBothCloses }

    /// The hybi-00 framing the next frames are read in; setting it applies from the next frame boundary
    /// each way (``switchFraming(to:at:emit:)`` reads the earlier bytes again).
    public var framing: Hybi00Framing {
        get { frames.framing }
        set { frames.framing = newValue }
    }

    /// Bytes that passed one way: every frame they complete goes to `emit` (inflated when compressed),
    /// each message a data frame completes right after it.
    public mutating func bytes(
        _ buffer: ByteBuffer, direction: TrafficDirection, at time: TrafficTimestamp, emit: (TrafficEvent) -> Void
    ) {
        let inflater = direction == .clientToServer ? clientInflater : serverInflater
        let joins = joinsMessages
        // Moved out while it works, so that a message's bytes have one owner and appending never copies them.
        var joiner = MessageJoiner(captureLimit: messageLimit)
        if joins {
            if direction == .clientToServer { swap(&joiner, &clientMessages) } else { swap(&joiner, &serverMessages) }
        }
        frames.bytes(buffer, direction: direction, at: time) { event in
            // A frame with nothing to add to it passes as it is (no copy of it on the proxy's hot path).
            guard inflater != nil || joins, case .frame(var seen) = event else {
                emit(event)
                return
            }
            inflater?.inflate(&seen)
            emit(.frame(seen))
            if joins, let message = joiner.take(seen) { emit(.message(message)) }
        }
        guard joins else { return }
        if direction == .clientToServer { clientMessages = joiner } else { serverMessages = joiner }
    }

    /// Switches a hybi-00 connection's framing and reads its bytes so far again when they are still kept
    /// (``TrafficTap/switchFraming(to:at:emit:)``): the frames and messages follow again.
    public mutating func switchFraming(
        to newFraming: Hybi00Framing, at time: TrafficTimestamp, emit: (TrafficEvent) -> Void
    ) {
        let joins = joinsMessages
        var clientJoiner = MessageJoiner(captureLimit: messageLimit)
        var serverJoiner = MessageJoiner(captureLimit: messageLimit)
        frames.switchFraming(to: newFraming, at: time) { event in
            emit(event)
            guard joins, case .frame(let seen) = event else { return }
            let joined =
                seen.direction == .clientToServer ? clientJoiner.take(seen) : serverJoiner.take(seen)
            if let joined { emit(.message(joined)) }
        }
        clientMessages = clientJoiner
        serverMessages = serverJoiner
    }

    /// The stream ended: reports what was left inside an unfinished frame each way.
    public mutating func finish(at time: TrafficTimestamp, emit: (TrafficEvent) -> Void) {
        frames.finish(at: time, emit: emit)
    }

    /// Reads frames a person or a rule made as their receiver will, apart from the tap (with its framing now).
    public var madeFrameReader: MadeFrameReader {
        MadeFrameReader(
            connection: connection, variant: variant, framing: framing, captureLimit: captureLimit,
            isCompressed: isCompressed)
    }

    /// The frames of bytes a person or a rule made (an edited frame, an injected one), decoded as their
    /// receiver will decode them, for the events; they do not go through the tap's own stream.
    public func framesMade(
        _ bytes: ByteBuffer, direction: TrafficDirection, at time: TrafficTimestamp, disposition: FrameDisposition
    ) -> [TrafficEvent.FrameSeen] {
        madeFrameReader.frames(bytes, direction: direction, at: time, disposition: disposition)
    }
}
