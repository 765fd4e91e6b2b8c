import Testing
import WSTapCore
import WSTapMutation

/// The minimizer against findings decided here, without a network: it must reach the smallest case that still
/// triggers them within its budget.
struct MinimizerTests {
    /// Four frames, chopped writes, a long payload with one NUL in the middle of the third frame.
    static let noisy: FuzzCase = {
        var frames = [
            FrameSpec.text("hello", mask: .key(MaskingKey(1, 2, 3, 4))),
            FrameSpec(opcode: .binary, mask: .key(MaskingKey(5, 6, 7, 8)), payload: [1, 2, 3]),
            FrameSpec(
                opcode: .text, mask: .key(MaskingKey(9, 9, 9, 9)),
                payload: Array(repeating: 0x61, count: 700) + [0] + Array(repeating: 0x62, count: 300)),
            FrameSpec.close(code: .normalClosure, mask: .key(MaskingKey(1, 1, 1, 1))),
        ]
        frames[1].reservedBits = .rsv1
        return FuzzCase(frames: frames, chop: 3, mutations: [.controlCharacters, .smallWrites])
    }()

    @Test func shrinksToTheByteThatMatters() async {
        let holdsNUL: (FuzzCase) -> Bool = { candidate in
            candidate.frames.contains { $0.opcode == .text && $0.payload.contains(0) }
        }
        let (minimized, attempts) = await Minimizer().minimize(Self.noisy) { holdsNUL($0) }
        #expect(minimized.frames.count == 1)
        #expect(minimized.frames.first?.payload == [0])
        #expect(minimized.chop == nil)
        #expect(attempts < 200, "\(attempts)")
    }

    @Test func keepsTheHeaderBitThatMattersAndDropsTheRest() async {
        let hasRSV1: (FuzzCase) -> Bool = { candidate in candidate.frames.contains { $0.reservedBits.contains(.rsv1) } }
        var start = Self.noisy
        start.frames[2].declaredLength = 2000
        let (minimized, _) = await Minimizer().minimize(start) { hasRSV1($0) }
        #expect(minimized.frames.count == 1)
        #expect(minimized.frames[0].reservedBits == .rsv1)
        #expect(minimized.frames[0].payload.isEmpty)
        #expect(minimized.frames[0].declaredLength == nil)
    }

    /// A finding that needs two frames in order keeps both.
    @Test func keepsFramesThatMatterTogether() async {
        let needsOpenMessageThenText: (FuzzCase) -> Bool = { candidate in
            zip(candidate.frames, candidate.frames.dropFirst()).contains { !$0.fin && $1.opcode == .text }
        }
        var start = Self.noisy
        start.frames[0].fin = false
        start.frames.insert(.text("x", mask: .random), at: 1)
        #expect(needsOpenMessageThenText(start))
        let (minimized, _) = await Minimizer().minimize(start) { needsOpenMessageThenText($0) }
        #expect(minimized.frames.count == 2)
        #expect(minimized.payloadSize == 0)
    }

    @Test func stopsAtTheBudget() async {
        var tried = 0
        let (minimized, attempts) = await Minimizer(maxAttempts: 5).minimize(Self.noisy) { _ in
            tried += 1
            return false
        }
        #expect(attempts == 5 && tried == 5)
        #expect(minimized == Self.noisy)
    }
}
