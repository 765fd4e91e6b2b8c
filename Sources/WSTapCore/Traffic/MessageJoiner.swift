import NIOCore

/// Joins the data frames one side sends into whole messages, as the application on the other side reads
/// them: fragments in order, each frame's inflated payload when the message was compressed. Control
/// frames may come between fragments and are passed by.
///
/// It keeps at most `captureLimit` bytes of a message; the length of the rest is still counted. A message
/// of one frame shares that frame's payload: nothing is copied.
public struct MessageJoiner: Sendable {
    /// The most bytes of one message kept in its event.
    public let captureLimit: Int
    private var open: TrafficEvent.MessageSeen?

    /// A joiner that keeps up to `captureLimit` bytes of each message.
    public init(captureLimit: Int) {
        self.captureLimit = max(0, captureLimit)
    }

    /// Takes the next frame one side sent; returns the message it completes, if it completes one.
    public mutating func take(_ seen: TrafficEvent.FrameSeen) -> TrafficEvent.MessageSeen? {
        switch seen.content {
        case .rfc6455(let frame): return take(frame, seen)
        case .hybi00(let frame): return take(frame, seen)
        }
    }

    private mutating func take(_ frame: DecodedFrame, _ seen: TrafficEvent.FrameSeen) -> TrafficEvent.MessageSeen? {
        let opcode = frame.header.opcode
        if opcode.isControl { return nil }
        if opcode != .continuation {
            // A new message (an unfinished one before it was a fault of the sender's, reported on its frames).
            let compressed = seen.inflatedPayload != nil || seen.inflationError != nil
            open = TrafficEvent.MessageSeen(
                connection: seen.connection, direction: seen.direction, isText: opcode == .text,
                payload: ByteBuffer(), length: 0, isCut: false, frameCount: 0, wasCompressed: compressed, at: seen.at)
        }
        guard var message = open else { return nil }  // a continuation without a message to continue
        let piece: ByteBuffer
        var pieceLength: UInt64?
        if let inflated = seen.inflatedPayload {
            piece = inflated
            pieceLength = seen.inflationCut.map { $0.inflatedLength.map(UInt64.init) } ?? UInt64(inflated.readableBytes)
        } else {
            piece = frame.payload
            // A compressed frame that could not be inflated (cut at the capture limit, or corrupt) has no
            // length the application would read.
            pieceLength = message.wasCompressed ? nil : frame.header.payloadLength
        }
        append(piece, length: pieceLength, to: &message)
        message.at = seen.at
        guard frame.header.fin else {
            open = message
            return nil
        }
        open = nil
        return message
    }

    private mutating func take(_ frame: Hybi00Frame, _ seen: TrafficEvent.FrameSeen) -> TrafficEvent.MessageSeen? {
        guard frame.kindName == "text" || frame.kindName == "binary" else { return nil }
        // A sentinel frame's payload is what lies between its two marker bytes.
        let length = frame.declaredLength ?? UInt64(max(0, frame.wireLength - (frame.isComplete ? 2 : 1)))
        var message = TrafficEvent.MessageSeen(
            connection: seen.connection, direction: seen.direction, isText: frame.isText, payload: ByteBuffer(),
            length: 0, isCut: false, frameCount: 0, wasCompressed: false, at: seen.at)
        append(frame.payload, length: frame.isComplete ? length : nil, to: &message)
        return message
    }

    /// Appends one frame's application bytes (of `length` in all, when known) to a message, up to the limit.
    private func append(_ piece: ByteBuffer, length: UInt64?, to message: inout TrafficEvent.MessageSeen) {
        message.frameCount += 1
        let room = captureLimit - message.payload.readableBytes
        if piece.readableBytes <= room {
            if message.payload.readableBytes == 0 {
                message.payload = piece  // shared, not copied
            } else {
                var piece = piece
                message.payload.writeBuffer(&piece)
            }
        } else {
            if room > 0, let start = piece.getSlice(at: piece.readerIndex, length: room) {
                var start = start
                message.payload.writeBuffer(&start)
            }
            message.isCut = true
        }
        if let length, let total = message.length {
            message.length = total &+ length
            if length > UInt64(piece.readableBytes) { message.isCut = true }
        } else {
            message.length = nil
            message.isCut = true
        }
    }
}
