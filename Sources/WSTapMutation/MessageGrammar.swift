public import WSTapCore

/// Builds valid traffic for the fuzzer to mutate: a few messages of the kinds applications send (short text,
/// JSON requests and events, binary, pings), each in one frame masked as the sender's role requires, and at
/// times a closing handshake at the end.
public struct MessageGrammar: Sendable {
    /// Who sends the frames: a client masks them (with keys drawn from the fuzzer's random source), a server
    /// does not.
    public var sender: EndpointRole

    /// A grammar for frames sent by `sender`.
    public init(sender: EndpointRole) {
        self.sender = sender
    }

    /// One to four messages, then a close frame one time in five.
    public func generate(using random: inout FuzzRandom) -> FuzzCase {
        var frames: [FrameSpec] = []
        for _ in 0..<(1 + random.below(4)) {
            frames.append(message(using: &random))
        }
        if random.chance(1, in: 5) {
            frames.append(masked(FrameSpec.close(code: .normalClosure, reason: "bye"), using: &random))
        }
        return FuzzCase(frames: frames, sender: sender)
    }

    /// One message (or ping), in one final frame.
    public func message(using random: inout FuzzRandom) -> FrameSpec {
        let frame: FrameSpec
        switch random.below(8) {
        case 0: frame = FrameSpec(opcode: .text, payload: Array(random.pick(Self.words).utf8))
        case 1: frame = FrameSpec(opcode: .text, payload: [])
        case 2, 3: frame = FrameSpec(opcode: .text, payload: Array(jsonRequest(using: &random).utf8))
        case 4: frame = FrameSpec(opcode: .text, payload: Array(jsonEvent(using: &random).utf8))
        case 5:
            frame = FrameSpec(
                opcode: .binary, payload: (0..<random.below(40)).map { _ in UInt8.random(in: 0...255, using: &random) })
        case 6: frame = FrameSpec(opcode: .ping, payload: Array("ping \(random.below(1000))".utf8))
        default: frame = FrameSpec(opcode: .text, payload: Array("héllo wörld ✓ \(random.below(100))".utf8))
        }
        return masked(frame, using: &random)
    }

    /// The frame masked as the sender's role requires, with a key from `random` (so a run is repeatable).
    public func masked(_ frame: FrameSpec, using random: inout FuzzRandom) -> FrameSpec {
        var frame = frame
        frame.mask =
            sender == .client ? .key(MaskingKey(value: UInt32.random(in: 0...UInt32.max, using: &random))) : .none
        return frame
    }

    static let words = ["hello", "subscribe", "ping", "{}", "[]", "null", "0", "a", "GET /", "quit"]
    static let methods = ["subscribe", "unsubscribe", "echo", "login", "get", "set", "list"]

    private func jsonRequest(using random: inout FuzzRandom) -> String {
        let method = random.pick(Self.methods)
        let parameter = random.pick(["\"x\"", "1", "true", "null", "{\"k\":\"v\"}", "[1,2,3]"])
        return "{\"jsonrpc\":\"2.0\",\"id\":\(random.below(10000)),\"method\":\"\(method)\",\"params\":[\(parameter)]}"
    }

    private func jsonEvent(using random: inout FuzzRandom) -> String {
        "{\"type\":\"\(random.pick(Self.methods))\",\"channel\":\"c\(random.below(10))\",\"data\":{\"n\":\(random.below(100))}}"
    }
}
