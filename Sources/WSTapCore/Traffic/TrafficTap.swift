public import NIOCore

/// Decodes both directions of one proxied connection on the side, as the bytes are forwarded, and
/// reports every frame with its violations. It never changes or holds back the bytes themselves.
///
/// Payloads are kept up to ``payloadCaptureLimit`` bytes per frame, so memory stays bounded whatever
/// passes; every frame is still fully checked. The framing of a hybi-00 connection can be switched
/// at any time (it applies from the next frame boundary of each direction).
public struct TrafficTap: Sendable {
    /// The connection's number, as in the events it reports.
    public let connection: UInt64
    /// The protocol variant the handshake settled, which decides how the bytes are decoded.
    public let variant: ProtocolVariant
    private var clientDecoder: FrameDecoder
    private var serverDecoder: FrameDecoder
    private var clientHybi00: Hybi00FrameDecoder
    private var serverHybi00: Hybi00FrameDecoder
    /// The last close codes seen each way.
    public private(set) var clientCloseCode: CloseCode?
    /// The last close code the server sent, if any.
    public private(set) var serverCloseCode: CloseCode?
    /// The reason of the first close frame seen that carried one, either way.
    public private(set) var closeReason = ""
    /// For hybi-00: each direction's bytes so far, kept to decode them again when the framing is
    /// switched (nil once more than ``redecodeLimit`` bytes passed that way).
    private var clientHistory: ByteBuffer?
    private var serverHistory: ByteBuffer?
    private let payloadCaptureLimit: Int
    /// How many bytes per direction a hybi-00 connection keeps for decoding again.
    public let redecodeLimit: Int

    /// A tap for a connection whose handshake settled `variant` (and for hybi-00 its framing), decoding with the
    /// RSV bits its extensions allow; payloads are kept up to `payloadCaptureLimit` bytes per frame, and up to
    /// `redecodeLimit` bytes of hybi-00 history per direction for switching framing later.
    public init(
        connection: UInt64, variant: ProtocolVariant, framing: Hybi00Framing = .old,
        allowedReservedBits: ReservedBits = [], payloadCaptureLimit: Int = 1 << 20, redecodeLimit: Int = 1 << 20
    ) {
        self.connection = connection
        self.variant = variant
        self.payloadCaptureLimit = payloadCaptureLimit
        self.redecodeLimit = redecodeLimit
        if variant == .hybi00 {
            clientHistory = ByteBuffer()
            serverHistory = ByteBuffer()
        }
        func decoder(_ sender: EndpointRole) -> FrameDecoder {
            FrameDecoder(
                configuration: FrameDecoderConfiguration(
                    sender: sender, allowedReservedBits: allowedReservedBits,
                    payloadCaptureLimit: payloadCaptureLimit))
        }
        clientDecoder = decoder(.client)
        serverDecoder = decoder(.server)
        clientHybi00 = Hybi00FrameDecoder(framing: framing, payloadCaptureLimit: payloadCaptureLimit)
        serverHybi00 = Hybi00FrameDecoder(framing: framing, payloadCaptureLimit: payloadCaptureLimit)
    }

    /// The hybi-00 framing the next frames are read in.
    public var framing: Hybi00Framing {
        get { clientHybi00.framing }
        set {
            clientHybi00.framing = newValue
            serverHybi00.framing = newValue
        }
    }

    /// Switches a hybi-00 connection's framing and, while its bytes so far are still kept (up to
    /// ``redecodeLimit`` each way), decodes them again from the start in the new framing: emits
    /// ``TrafficEvent/framingChanged(_:)`` saying whether it did, then, if so, every frame again.
    /// Otherwise the new framing applies from the next frame boundary.
    public mutating func switchFraming(
        to newFraming: Hybi00Framing, at time: TrafficTimestamp, emit: (TrafficEvent) -> Void
    ) {
        guard variant == .hybi00 else { return }
        guard let clientBytes = clientHistory, let serverBytes = serverHistory else {
            framing = newFraming
            emit(.framingChanged(.init(connection: connection, framing: newFraming, redecoded: false, at: time)))
            return
        }
        clientHybi00 = Hybi00FrameDecoder(framing: newFraming, payloadCaptureLimit: payloadCaptureLimit)
        serverHybi00 = Hybi00FrameDecoder(framing: newFraming, payloadCaptureLimit: payloadCaptureLimit)
        clientHistory = ByteBuffer()
        serverHistory = ByteBuffer()
        emit(.framingChanged(.init(connection: connection, framing: newFraming, redecoded: true, at: time)))
        bytes(clientBytes, direction: .clientToServer, at: time, emit: emit)
        bytes(serverBytes, direction: .serverToClient, at: time, emit: emit)
    }

    /// Bytes that passed one way; every frame they complete goes to `emit`.
    public mutating func bytes(
        _ buffer: ByteBuffer, direction: TrafficDirection, at time: TrafficTimestamp,
        emit: (TrafficEvent) -> Void
    ) {
        switch (variant, direction) {
        case (.rfc6455, .clientToServer):
            clientDecoder.append(buffer)
            while let frame = clientDecoder.nextFrame() { report(frame, direction, time, emit) }
        case (.rfc6455, .serverToClient):
            serverDecoder.append(buffer)
            while let frame = serverDecoder.nextFrame() { report(frame, direction, time, emit) }
        case (.hybi00, .clientToServer):
            Self.keep(buffer, in: &clientHistory, limit: redecodeLimit)
            clientHybi00.append(buffer)
            while let frame = clientHybi00.nextFrame() { report(frame, direction, time, emit) }
        case (.hybi00, .serverToClient):
            Self.keep(buffer, in: &serverHistory, limit: redecodeLimit)
            serverHybi00.append(buffer)
            while let frame = serverHybi00.nextFrame() { report(frame, direction, time, emit) }
        }
    }

    private static func keep(_ buffer: ByteBuffer, in history: inout ByteBuffer?, limit: Int) {
        guard var kept = history else { return }
        history = nil  // so the append below does not copy
        guard kept.readableBytes + buffer.readableBytes <= limit else { return }
        var buffer = buffer
        kept.writeBuffer(&buffer)
        history = kept
    }

    /// The stream ended: reports what was left inside an unfinished frame in each direction.
    public mutating func finish(at time: TrafficTimestamp, emit: (TrafficEvent) -> Void) {
        for direction in TrafficDirection.allCases {
            switch variant {
            case .rfc6455:
                let leftover = direction == .clientToServer ? clientDecoder.finish() : serverDecoder.finish()
                guard let leftover else { continue }
                emit(.leftoverBytes(connection: connection, direction: direction, bytes: leftover.wireBytes, at: time))
            case .hybi00:
                let leftover = direction == .clientToServer ? clientHybi00.finish() : serverHybi00.finish()
                if let leftover { report(leftover, direction, time, emit) }
            }
        }
    }

    private mutating func report(
        _ frame: DecodedFrame, _ direction: TrafficDirection, _ time: TrafficTimestamp, _ emit: (TrafficEvent) -> Void
    ) {
        if frame.header.opcode == .close, let body = frame.closeBody {
            if direction == .clientToServer { clientCloseCode = body.code } else { serverCloseCode = body.code }
            if closeReason.isEmpty { closeReason = body.reason }
        }
        emit(.frame(.init(connection: connection, direction: direction, content: .rfc6455(frame), at: time)))
    }

    private mutating func report(
        _ frame: Hybi00Frame, _ direction: TrafficDirection, _ time: TrafficTimestamp, _ emit: (TrafficEvent) -> Void
    ) {
        emit(.frame(.init(connection: connection, direction: direction, content: .hybi00(frame), at: time)))
    }

    /// Whether a close frame passed each way.
    public var sawBothCloses: Bool {
        switch variant {
        case .rfc6455: return clientDecoder.hasSeenClose && serverDecoder.hasSeenClose
        case .hybi00: return clientHybi00.hasSeenClose && serverHybi00.hasSeenClose
        }
    }
}
