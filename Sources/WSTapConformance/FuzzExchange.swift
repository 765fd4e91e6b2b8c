import NIOCore
import WSTapCore
public import WSTapMutation

/// Sends what a fuzz case makes over a raw peer, then a probe ping, and reads what comes back into a
/// ``FuzzOutcome``: the probe's pong (the peer took the case and goes on), a close frame, the end of TCP, or
/// nothing within the time allowed.
public enum FuzzExchange {
    /// The probe ping's payload.
    public static let probe = Array("wstap-fuzz-probe".utf8)

    /// How many bytes of a case go out in its small writes (the rest in one).
    public static let choppedBytes = 1024

    /// How long the exchange waits when the bytes end inside a frame (no answer is due).
    public static let settle: Duration = .milliseconds(300)

    /// The case's bytes followed by the probe ping (masked as the sender's role requires), and the size of the
    /// writes; `nil` when a frame cannot be encoded.
    public static func bytes(of fuzzCase: FuzzCase, seed: UInt64 = 0) -> [UInt8]? {
        guard let bytes = fuzzCase.wireBytes else { return nil }
        var random = FuzzRandom(seed: seed)
        let ping = MessageGrammar(sender: fuzzCase.sender).masked(
            FrameSpec(opcode: .ping, payload: probe), using: &random)
        guard let probeBytes = FuzzCase(frames: [ping]).wireBytes else { return nil }
        return bytes + probeBytes
    }

    /// Writes `bytes` (in writes of `chop` bytes) over `peer`, which has completed the opening handshake, and
    /// reads until the probe's pong, a close frame, the end of TCP or `timeout` without a frame. Pings from the
    /// peer are answered. Closes the connection at the end.
    /// With a `linger`, reading goes on that long after the probe's pong: a peer that then ends TCP without a
    /// close frame (it died after it answered) shows as such.
    public static func run(
        _ bytes: [UInt8], chop: Int?, on peer: RawPeer, timeout: Duration, linger: Duration = .zero
    ) async -> FuzzOutcome {
        var outcome = FuzzOutcome()
        outcome.endsOnFrameBoundary = FuzzCase.endsOnFrameBoundary(bytes, sender: peer.role)
        if let chop, bytes.count > choppedBytes {
            // Small writes for the start only: a megabyte in 1-byte writes would take minutes.
            await peer.write(Array(bytes[..<choppedBytes]), chop: chop)
            await peer.write(Array(bytes[choppedBytes...]))
        } else {
            await peer.write(bytes, chop: chop)
        }
        let written = ContinuousClock.now
        // When the probe became part of a frame, a silent target is right: a short wait shows whether it failed
        // the connection instead.
        let wait = outcome.endsOnFrameBoundary ? timeout : min(timeout, settle)
        reading: while true {
            switch await peer.nextFrame(timeout: wait) {
            case .timedOut:
                outcome.ending = .timedOut
                break reading
            case .endOfStream:
                if let error = peer.transportError {
                    outcome.ending = .reset("\(error)")
                } else {
                    outcome.ending = .endOfStream
                }
                break reading
            case .frame(let frame):
                outcome.framesReceived += 1
                let name = frame.header.opcode.name
                // The close body's own rules are judged below, with the code (a code above 4999 is no finding).
                let closeRules: Set<Violation.Kind> = [
                    .closeCodeNotAllowed, .closeBodyTooShort, .closeReasonInvalidUTF8,
                ]
                for violation in frame.violations where !closeRules.contains(violation.kind) {
                    outcome.problems.append((violation.kind.rawValue, "\(name) frame from the target: \(violation)"))
                }
                switch frame.header.opcode {
                case .pong where Array(frame.payload.readableBytesView) == probe:
                    outcome.ending = .probeAnswered
                    outcome.probeLatency = ContinuousClock.now - written
                    if linger > .zero, case .endOfStream = await peer.nextFrame(timeout: linger) {
                        outcome.ending = .endOfStream
                    }
                    break reading
                case .ping:
                    await peer.send(FrameSpec(opcode: .pong, payload: Array(frame.payload.readableBytesView)))
                case .close:
                    let (body, violations) = CloseBody.parse(frame.payload.readableBytesView)
                    outcome.close = body
                    outcome.closeViolations = violations.filter { $0.kind != .closeCodeNotAllowed }.map(\.description)
                    outcome.ending = .closeFrame
                    await peer.send(.close(code: body.code.map { $0.isAllowedOnWire ? $0 : .protocolError }))
                    break reading
                default:
                    break
                }
            }
        }
        if peer.role == .server {
            // A client under test that failed the connection may wait long for the end of TCP (python3-websockets
            // waits out its close timeout twice) before it connects for the next case: a reset ends its wait.
            await peer.resetTransport()
        } else {
            await peer.closeTransport()
        }
        return outcome
    }
}
