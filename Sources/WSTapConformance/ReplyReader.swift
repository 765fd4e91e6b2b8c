import NIOCore
import WSTapCore

/// Reads what the endpoint under test sends during a case into an ``Observation``: messages joined from their
/// fragments, pongs, pings (answered), the close frame, the end of TCP, and every rule the frames break.
public struct ReplyReader: Sendable {
    /// When to stop reading (besides a close frame, the end of TCP, or the time allowed running out).
    public enum Stop: Sendable {
        /// Once this many replies came.
        case replies(Int)
        /// Once a pong with this payload came (the answer to a ping sent after a violation).
        case pong([UInt8])
        /// Once a text message with this payload came (the echo of a message sent after a violation).
        case message([UInt8])
        /// Only at a close frame or the end of TCP.
        case close
    }

    /// The raw peer that reads.
    public let peer: RawPeer
    /// What was read so far.
    public var observation = Observation()
    private var message: (opcode: Opcode, bytes: [UInt8], frames: Int, compressed: Bool)?
    /// Inflates compressed messages (RSV1 on the first frame) on a connection that agreed to permessage-deflate.
    private let inflater: MessageInflater?

    /// A reader over `peer` (`inflater` for a connection that agreed to permessage-deflate).
    public init(peer: RawPeer, inflater: MessageInflater? = nil) {
        self.peer = peer
        self.inflater = inflater
    }

    /// Reads frames until `stop`, a close frame, the end of TCP, or `timeout` without a frame. Returns how it
    /// stopped: `.open` when `stop` was reached, `.stoppedAtClose` at a close frame.
    @discardableResult
    public mutating func read(until stop: Stop, timeout: Duration) async -> Observation.Ending {
        while true {
            switch stop {
            case .replies(let count) where observation.replies.count >= count: return .open
            case .pong(let payload) where observation.replies.last == .pong(payload): return .open
            case .message(let payload) where observation.replies.last == .message(.text, payload): return .open
            default: break
            }
            switch await peer.nextFrame(timeout: timeout) {
            case .timedOut:
                return .timedOut
            case .endOfStream:
                return .endOfStream
            case .frame(let frame):
                if take(frame) { return .stoppedAtClose }
            }
        }
    }

    /// Reads until the endpoint ends TCP (or `timeout` without a frame); any frame that comes is a problem
    /// (nothing may follow a close frame).
    public mutating func readToEnd(timeout: Duration) async -> Observation.Ending {
        while true {
            switch await peer.nextFrame(timeout: timeout) {
            case .timedOut: return .timedOut
            case .endOfStream: return .endOfStream
            case .frame(let frame): _ = take(frame)
            }
        }
    }

    /// Takes one frame in; true when it is the close frame.
    private mutating func take(_ frame: DecodedFrame) -> Bool {
        let name = frame.header.opcode.name
        for violation in frame.violations {
            observation.problems.append("\(name) frame from the endpoint: \(violation)")
        }
        if observation.close != nil {
            observation.problems.append("\(name) frame after the close frame")
            return false
        }
        let payload = Array(frame.payload.readableBytesView)
        switch frame.header.opcode {
        case .text, .binary:
            if message != nil { observation.problems.append("a new \(name) frame while a message was open") }
            message = (
                frame.header.opcode, payload, 1, inflater != nil && frame.header.reservedBits.contains(.rsv1)
            )
        case .continuation:
            guard message != nil else {
                observation.problems.append("a continuation frame with no message open")
                return false
            }
            message?.bytes += payload
            message?.frames += 1
        case .pong:
            observation.replies.append(.pong(payload))
            return false
        case .ping:
            observation.pings += 1
            let pong = FrameSpec.pong(payload)
            Task { [peer] in await peer.send(pong) }
            return false
        case .close:
            observation.close = frame.closeBody ?? CloseBody(code: nil)
            return true
        default:
            observation.problems.append("a frame with reserved opcode \(frame.header.opcode.rawValue)")
            return false
        }
        if frame.header.fin, var done = message {
            if done.compressed, let inflater {
                switch inflater.inflate(done.bytes) {
                case .success(let bytes): done.bytes = bytes
                case .failure(let error):
                    observation.problems.append(
                        "a compressed \(done.opcode.name) message that does not inflate: \(error)")
                }
                if done.opcode == .text, String(validating: done.bytes, as: UTF8.self) == nil {
                    observation.problems.append("a compressed text message that is not UTF-8 once inflated")
                }
            }
            observation.replies.append(.message(done.opcode, done.bytes))
            if done.frames > 1 { observation.fragmentedMessages += 1 }
            message = nil
        }
        return false
    }
}
