import Testing
import WSTapCore
import WSTapMutation

/// The grammar and the mutations: repeatable for a seed, each kind doing what it says, all of them drawn.
struct MutatorTests {
    let mutator = Mutator(grammar: MessageGrammar(sender: .client))

    func cases(seed: UInt64, count: Int) -> [FuzzCase] {
        var random = FuzzRandom(seed: seed)
        return (0..<count).map { _ in mutator.mutate(mutator.grammar.generate(using: &random), using: &random) }
    }

    @Test func theSameSeedGivesTheSameCases() {
        // Hashes, not the cases: a failure must not print megabytes of payloads.
        let first = cases(seed: 7, count: 300).map(\.hashValue)
        #expect(first == cases(seed: 7, count: 300).map(\.hashValue))
        #expect(first != cases(seed: 8, count: 300).map(\.hashValue))
    }

    @Test func grammarFramesAreValidAndMasked() {
        var random = FuzzRandom(seed: 1)
        for _ in 0..<200 {
            let base = mutator.grammar.generate(using: &random)
            #expect(!base.frames.isEmpty && base.mutations.isEmpty)
            for frame in base.frames {
                #expect(frame.fin && frame.reservedBits.isEmpty && frame.declaredLength == nil)
                #expect(frame.mask != .none, "a client's frame must be masked")
                if frame.opcode == .text { #expect(String(validating: frame.payload, as: UTF8.self) != nil) }
            }
            #expect(base.wireBytes.map { FuzzCase.endsOnFrameBoundary($0, sender: .client) } == true)
        }
        var serverRandom = FuzzRandom(seed: 1)
        let server = MessageGrammar(sender: .server).generate(using: &serverRandom)
        #expect(server.frames.allSatisfy { $0.mask == .none }, "a server's frames are not masked")
    }

    @Test func everyKindIsDrawnAndEncodes() {
        let all = cases(seed: 3, count: 2000)
        let drawn = Set(all.flatMap(\.mutations))
        #expect(drawn == Set(MutationKind.allCases))
        let unencodable = all.filter { $0.wireBytes == nil }.map(\.summary)
        #expect(unencodable.count == 0, "\(unencodable.prefix(3))")
    }

    /// Each kind, applied to a plain text message, changes it the way it says.
    @Test(arguments: MutationKind.allCases) func eachKindDoesWhatItSays(_ kind: MutationKind) throws {
        let grammar = mutator.grammar
        for seed in UInt64(0)..<20 {
            var random = FuzzRandom(seed: seed)
            let base = FuzzCase(frames: [grammar.masked(.text("hello, world"), using: &random)])
            let mutated = mutator.apply(kind, to: base, using: &random)
            #expect(mutated.mutations == [kind])
            let frames = mutated.frames
            let text = frames.filter { [.text, .continuation].contains($0.opcode) }.flatMap(\.payload)
            switch kind {
            case .reservedBits: #expect(frames.contains { !$0.reservedBits.isEmpty })
            case .reservedOpcode: #expect(frames.contains { $0.opcode.isReserved })
            case .fin: #expect(frames.contains { !$0.fin })
            case .lyingLength: #expect(frames.contains { $0.declaredLength != nil })
            case .lengthEncoding: #expect(frames.contains { $0.lengthEncoding != nil })
            case .wrongMasking: #expect(frames.contains { $0.mask == .none })
            case .fragment, .controlMidMessage:
                #expect(frames.contains { $0.opcode == .continuation })
                #expect(text == Array("hello, world".utf8), "the fragments join to the message")
            case .interleave, .badControl, .closeBody, .duplicate: #expect(frames != base.frames)
            case .drop: #expect(frames.count <= 1)
            case .smallWrites: #expect(mutated.chop != nil)
            case .bitFlip, .boundarySize: #expect(frames.count == 1)
            case .invalidUTF8: #expect(String(validating: text, as: UTF8.self) == nil)
            case .controlCharacters: #expect(text.contains { $0 < 0x20 || $0 == 0x7F })
            case .deepJSON: #expect(text.count >= 128 && (text.first == 0x5B || text.first == 0x7B))
            case .longString: #expect(text.count > 65536)
            }
            #expect(mutated.wireBytes != nil)
        }
    }

    @Test func frameBoundaries() throws {
        var longer = FrameSpec.text("abc", mask: .key(MaskingKey(1, 2, 3, 4)))
        longer.declaredLength = 10
        let valid = try #require(FuzzCase(frames: [.text("abc", mask: .random)]).wireBytes)
        let lying = try #require(FuzzCase(frames: [longer]).wireBytes)
        #expect(FuzzCase.endsOnFrameBoundary(valid, sender: .client))
        #expect(!FuzzCase.endsOnFrameBoundary(lying, sender: .client))
        #expect(!FuzzCase.endsOnFrameBoundary(Array(valid.dropLast()), sender: .client))
        #expect(!FuzzCase.endsOnFrameBoundary([0x81], sender: .client))
    }

    @Test func summariesEscapeControlCharacters() {
        var frame = FrameSpec.text("a\u{0}b", fin: false, mask: .none)
        frame.reservedBits = .rsv2
        let summary = FuzzCase(frames: [frame]).summary
        #expect(summary == "text (not final) RSV 2 unmasked \"a\\u{0}b\"", "\(summary)")
        #expect(PayloadWords.describe([0xC0, 0xAF]) == "c0 af")
        #expect(PayloadWords.describe([UInt8](repeating: 0x5B, count: 100)).hasPrefix("100 bytes \"[[[["))
    }
}
