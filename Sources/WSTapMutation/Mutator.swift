public import WSTapCore

/// Applies mutations to fuzz cases. Pure: the only randomness is the ``FuzzRandom`` passed in, so the same seed
/// gives the same cases.
public struct Mutator: Sendable {
    /// Builds the messages a mutation adds (and masks what it makes as the sender's role requires).
    public var grammar: MessageGrammar
    /// The kinds to draw from.
    public var kinds: [MutationKind]

    /// A mutator for frames that `grammar`'s sender sends, drawing from `kinds`.
    public init(grammar: MessageGrammar, kinds: [MutationKind] = MutationKind.allCases) {
        self.grammar = grammar
        self.kinds = kinds.isEmpty ? MutationKind.allCases : kinds
    }

    /// `base` with one to three mutations drawn from ``kinds`` (one, half the time).
    public func mutate(_ base: FuzzCase, using random: inout FuzzRandom) -> FuzzCase {
        var result = base
        let count = random.chance(1, in: 2) ? 1 : 2 + random.below(2)
        for _ in 0..<count {
            result = apply(random.pick(kinds), to: result, using: &random)
        }
        return result
    }

    /// `base` with the mutation `kind` applied once.
    public func apply(_ kind: MutationKind, to base: FuzzCase, using random: inout FuzzRandom) -> FuzzCase {
        var result = base
        result.mutations.append(kind)
        if result.frames.isEmpty { result.frames.append(grammar.message(using: &random)) }
        let any = random.below(result.frames.count)
        switch kind {
        case .reservedBits:
            result.frames[any].reservedBits = ReservedBits(number: UInt8(1 + random.below(7)))
        case .reservedOpcode:
            result.frames[any].opcode = Opcode(lowBitsOf: random.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]))
        case .fin:
            result.frames[any].fin.toggle()
        case .lyingLength:
            let real = UInt64(result.frames[any].payload.count)
            let lies: [UInt64] = [
                real + 1, real + UInt64(1 + random.below(200)), real > 0 ? real - 1 : 1, real / 2, 1 << 63,
                UInt64.max >> 1, 0xFFFF, 0x10000,
            ]
            let lie = random.pick(lies)
            result.frames[any].declaredLength = lie
            if lie > 0xFFFF { result.frames[any].lengthEncoding = .bits64 }
        case .lengthEncoding:
            let length = result.frames[any].declaredLength ?? UInt64(result.frames[any].payload.count)
            result.frames[any].lengthEncoding = length > 0xFFFF || random.chance(1, in: 2) ? .bits64 : .bits16
        case .wrongMasking:
            result.frames[any].mask =
                grammar.sender == .client
                ? .none : .key(MaskingKey(value: UInt32.random(in: 0...UInt32.max, using: &random)))
        case .fragment:
            let index = dataFrame(in: &result, using: &random)
            let pieces = fragments(of: result.frames[index], count: 2 + random.below(3), using: &random)
            result.frames.replaceSubrange(index...index, with: pieces)
        case .interleave:
            interleave(&result, using: &random)
        case .controlMidMessage:
            let index = dataFrame(in: &result, using: &random)
            var pieces = fragments(of: result.frames[index], count: 2, using: &random)
            let control: FrameSpec
            switch random.below(3) {
            case 0: control = FrameSpec(opcode: .ping, payload: Array("mid".utf8))
            case 1: control = FrameSpec(opcode: .pong, payload: Array("mid".utf8))
            default: control = FrameSpec.close(code: .normalClosure)
            }
            pieces.insert(grammar.masked(control, using: &random), at: 1)
            result.frames.replaceSubrange(index...index, with: pieces)
        case .badControl:
            var control = FrameSpec(opcode: random.pick([Opcode.ping, .pong, .close]))
            if random.chance(1, in: 2) {
                control.payload = [UInt8](repeating: UInt8(ascii: "p"), count: 126 + random.below(200))
                if control.opcode == .close { control.payload[0...1] = [0x03, 0xE8] }
            } else {
                control.fin = false
                control.payload = Array("frag".utf8)
            }
            result.frames.insert(grammar.masked(control, using: &random), at: random.below(result.frames.count + 1))
        case .closeBody:
            let bodies: [[UInt8]] = [
                [0x03], [0, 0], [0x03, 0xE7], [0x03, 0xEC], [0x03, 0xED], [0x03, 0xEE], [0x03, 0xF7], [0x03, 0xF8],
                [0x0B, 0xB7], [0x13, 0x88], [0xFF, 0xFF], [0x03, 0xE8, 0xC0, 0xAF], [0x03, 0xE8, 0xED, 0xA0, 0x80],
                [0x03, 0xE8] + [UInt8](repeating: UInt8(ascii: "r"), count: 123),
            ]
            let close = grammar.masked(FrameSpec(opcode: .close, payload: random.pick(bodies)), using: &random)
            if let index = result.frames.firstIndex(where: { $0.opcode == .close }) {
                result.frames[index] = close
            } else {
                result.frames.insert(close, at: random.below(result.frames.count + 1))
            }
        case .duplicate:
            result.frames.insert(result.frames[any], at: any)
        case .drop:
            if result.frames.count > 1 { result.frames.remove(at: any) }
        case .smallWrites:
            result.chop = 1 + random.below(7)
        case .bitFlip:
            let index = dataFrame(in: &result, using: &random)
            if result.frames[index].payload.isEmpty { result.frames[index].payload = [0x61] }
            for _ in 0..<(1 + random.below(8)) {
                let at = random.below(result.frames[index].payload.count)
                result.frames[index].payload[at] ^= UInt8(1) << UInt8(random.below(8))
            }
        case .boundarySize:
            let index = dataFrame(in: &result, using: &random)
            let size = random.pick([0, 1, 125, 126, 127, 128, 255, 256, 65535, 65536, 65537, 131_072])
            let fill = result.frames[index].opcode == .binary ? UInt8.random(in: 0...255, using: &random) : 0x61
            result.frames[index].payload = [UInt8](repeating: fill, count: size)
        case .invalidUTF8:
            let index = textFrame(in: &result, using: &random)
            let bad: [[UInt8]] = [
                [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x80], [0xE2, 0x82],
                [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3],
            ]
            insert(random.pick(bad), intoFrame: index, of: &result, using: &random)
        case .controlCharacters:
            let index = textFrame(in: &result, using: &random)
            let character: UInt8 =
                random.chance(1, in: 2) ? 0 : random.pick([0x01, 0x07, 0x08, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F])
            insert([character], intoFrame: index, of: &result, using: &random)
        case .deepJSON:
            let index = textFrame(in: &result, using: &random)
            let depth = random.pick([64, 512, 4096, 32768, 100_000])
            let (open, close): (UInt8, UInt8) = random.chance(1, in: 2) ? (0x5B, 0x5D) : (0x7B, 0x7D)
            if open == 0x5B {
                result.frames[index].payload =
                    [UInt8](repeating: open, count: depth) + [UInt8](repeating: close, count: depth)
            } else {
                result.frames[index].payload =
                    Array(String(repeating: "{\"a\":", count: depth).utf8) + [0x31]
                    + [UInt8](repeating: close, count: depth)
            }
        case .longString:
            let index = textFrame(in: &result, using: &random)
            let length = random.pick([65536, 262_144, 1 << 20])
            result.frames[index].payload =
                Array("{\"k\":\"".utf8) + [UInt8](repeating: 0x78, count: length) + Array("\"}".utf8)
        }
        // A payload that grew past a length encoding forced earlier gets the 64-bit one.
        for index in result.frames.indices {
            let frame = result.frames[index]
            if let encoding = frame.lengthEncoding,
                !encoding.canHold(frame.declaredLength ?? UInt64(frame.payload.count))
            {
                result.frames[index].lengthEncoding = .bits64
            }
        }
        return result
    }

    // MARK: Helpers

    /// The index of a final data frame (text or binary) of the case, one added when it has none.
    private func dataFrame(in result: inout FuzzCase, using random: inout FuzzRandom) -> Int {
        let candidates = result.frames.indices.filter {
            [Opcode.text, .binary].contains(result.frames[$0].opcode) && result.frames[$0].fin
        }
        if candidates.isEmpty {
            let at = random.below(result.frames.count + 1)
            result.frames.insert(grammar.masked(FrameSpec.text("fuzz"), using: &random), at: at)
            return at
        }
        return random.pick(candidates)
    }

    /// The index of a text or continuation frame, a text frame added when there is none.
    private func textFrame(in result: inout FuzzCase, using random: inout FuzzRandom) -> Int {
        let candidates = result.frames.indices.filter {
            [Opcode.text, .continuation].contains(result.frames[$0].opcode)
        }
        if candidates.isEmpty {
            let at = random.below(result.frames.count + 1)
            result.frames.insert(grammar.masked(FrameSpec.text("fuzz"), using: &random), at: at)
            return at
        }
        return random.pick(candidates)
    }

    private func insert(
        _ bytes: [UInt8], intoFrame index: Int, of result: inout FuzzCase, using random: inout FuzzRandom
    ) {
        let payload = result.frames[index].payload
        // Between characters, so that the rest stays what it was.
        let boundaries = payload.indices.filter { payload[$0] & 0xC0 != 0x80 } + [payload.count]
        result.frames[index].payload.insert(contentsOf: bytes, at: random.pick(boundaries))
    }

    /// `frame` cut into `count` fragments (fewer when its payload is shorter): its opcode first, then
    /// continuations, the last one final, each masked like the frame.
    func fragments(of frame: FrameSpec, count: Int, using random: inout FuzzRandom) -> [FrameSpec] {
        let payload = frame.payload
        var cuts = Set<Int>()
        for _ in 0..<(count - 1) where payload.count > 1 { cuts.insert(1 + random.below(payload.count - 1)) }
        let bounds = [0] + cuts.sorted() + [payload.count]
        var pieces: [FrameSpec] = []
        for index in 0..<(bounds.count - 1) {
            var piece = frame
            piece.payload = Array(payload[bounds[index]..<bounds[index + 1]])
            piece.opcode = index == 0 ? frame.opcode : .continuation
            piece.fin = index == bounds.count - 2 ? frame.fin : false
            piece.declaredLength = nil
            piece.lengthEncoding = nil
            pieces.append(piece)
        }
        if pieces.count == 1 {
            // One piece cannot be cut: an empty final continuation follows instead.
            pieces[0].fin = false
            var last = frame
            last.opcode = .continuation
            last.payload = []
            pieces.append(last)
        }
        return pieces
    }

    private func interleave(_ result: inout FuzzCase, using random: inout FuzzRandom) {
        switch random.below(3) {
        case 0:
            // A continuation with no message open.
            let stray = grammar.masked(FrameSpec(opcode: .continuation, payload: Array("stray".utf8)), using: &random)
            result.frames.insert(stray, at: random.below(result.frames.count + 1))
        case 1:
            // A new message between the fragments of another.
            let index = dataFrame(in: &result, using: &random)
            var pieces = fragments(of: result.frames[index], count: 2, using: &random)
            pieces.insert(grammar.message(using: &random), at: 1)
            result.frames.replaceSubrange(index...index, with: pieces)
        default:
            // A message left open, then another one.
            let index = dataFrame(in: &result, using: &random)
            result.frames[index].fin = false
            result.frames.insert(grammar.message(using: &random), at: index + 1)
        }
    }
}
