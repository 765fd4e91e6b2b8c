import NIOCore
import Testing
import WSTapCore

@testable import WSTapProxy

/// The gate's bookkeeping on its own: which bytes go out, when, and in what order.
@Suite struct DirectionGateTests {
    /// Three masked text frames and their stream ranges.
    static let frames: [[UInt8]] = ["one", "secret", "three"].map { text in
        // 0x81, masked length, key, masked payload.
        let key: [UInt8] = [1, 2, 3, 4]
        let payload = Array(text.utf8).enumerated().map { $0.element ^ key[$0.offset % 4] }
        return [0x81, 0x80 | UInt8(payload.count)] + key + payload
    }

    static var ranges: [(UInt64, UInt64)] {
        var start: UInt64 = 0
        return frames.map { frame in
            defer { start += UInt64(frame.count) }
            return (start, start + UInt64(frame.count))
        }
    }

    static func bytes(_ writes: [ByteBuffer]) -> [UInt8] {
        writes.flatMap { Array($0.readableBytesView) }
    }

    /// Feeds the stream in chunks of `chunkSize`, reporting frame ends the way the tap does; frames
    /// whose index is in `hold` are held. Returns what went out and the held frames' bytes.
    static func feed(
        _ gate: inout DirectionGate, chunkSize: Int, hold: Set<Int> = []
    ) -> (out: [UInt8], held: [ByteBuffer]) {
        let stream = frames.flatMap { $0 }
        var out: [UInt8] = []
        var held: [ByteBuffer] = []
        var offset = 0
        var nextFrame = 0
        while offset < stream.count {
            let chunk = ByteBuffer(bytes: stream[offset..<min(offset + chunkSize, stream.count)])
            offset += chunk.readableBytes
            var writes: [ByteBuffer] = []
            if gate.arrived(chunk) { writes.append(chunk) }
            while nextFrame < frames.count, ranges[nextFrame].1 <= UInt64(offset) {
                let (start, end) = ranges[nextFrame]
                if let bytes = gate.frameEnded(start: start, end: end, hold: hold.contains(nextFrame), writes: &writes)
                {
                    gate.nameLastHeld(UInt64(nextFrame))
                    held.append(bytes)
                }
                nextFrame += 1
            }
            gate.chunkDone(writes: &writes)
            out += bytes(writes)
        }
        return (out, held)
    }

    @Test(arguments: [1, 2, 5, 7, 64])
    func withoutInterceptEverythingPassesAsItArrives(chunkSize: Int) {
        var gate = DirectionGate(holdLimit: 1 << 20)
        let (out, held) = Self.feed(&gate, chunkSize: chunkSize)
        #expect(out == Self.frames.flatMap { $0 })
        #expect(held.isEmpty)
        #expect(gate.bufferedBytes == 0)
    }

    @Test(arguments: [1, 3, 8, 64])
    func aHeldFrameHoldsBackWhatFollowsUntilForwarded(chunkSize: Int) {
        var gate = DirectionGate(holdLimit: 1 << 20)
        gate.intercepting = true
        let (out, held) = Self.feed(&gate, chunkSize: chunkSize, hold: [1])
        #expect(out == Self.frames[0])
        #expect(held.map { Array($0.readableBytesView) } == [Self.frames[1]])
        #expect(gate.heldIDs == [1])
        #expect(gate.bufferedBytes == Self.frames[1].count + Self.frames[2].count)
        var writes: [ByteBuffer] = []
        let decided = gate.decide(1, .user(.forward), writes: &writes)
        #expect(decided)
        #expect(Self.bytes(writes) == Self.frames[1] + Self.frames[2])
        #expect(gate.bufferedBytes == 0)
        let decidedAgain = gate.decide(1, .user(.forward), writes: &writes)
        #expect(!decidedAgain)
    }

    @Test func droppedAndReplacedFrames() {
        var gate = DirectionGate(holdLimit: 1 << 20)
        gate.intercepting = true
        let (out, _) = Self.feed(&gate, chunkSize: 4, hold: [0, 2])
        #expect(out.isEmpty)
        #expect(gate.heldIDs == [0, 2])
        var writes: [ByteBuffer] = []
        // Deciding the later one first sends nothing: the first still waits.
        let replaced = gate.decide(2, .user(.replace(ByteBuffer(bytes: [0xAA]))), writes: &writes)
        #expect(replaced)
        #expect(writes.isEmpty)
        let dropped = gate.decide(0, .user(.drop), writes: &writes)
        #expect(dropped)
        #expect(Self.bytes(writes) == Self.frames[1] + [0xAA])
    }

    @Test func injectedBytesWaitForTheFrameInProgress() {
        var gate = DirectionGate(holdLimit: 1 << 20)
        var writes: [ByteBuffer] = []
        let first = ByteBuffer(bytes: Self.frames[0][0..<3])
        let firstPasses = gate.arrived(first)
        #expect(firstPasses)  // not intercepting: passes as it comes
        gate.inject(ByteBuffer(bytes: [0xEE]), writes: &writes)
        #expect(writes.isEmpty)  // a frame is half out: the injection waits for its end
        let rest = ByteBuffer(bytes: Self.frames[0][3...] + Self.frames[1])
        let restPasses = gate.arrived(rest)
        #expect(!restPasses)  // something waits: from now on at frame boundaries
        _ = gate.frameEnded(start: Self.ranges[0].0, end: Self.ranges[0].1, hold: false, writes: &writes)
        _ = gate.frameEnded(start: Self.ranges[1].0, end: Self.ranges[1].1, hold: false, writes: &writes)
        gate.chunkDone(writes: &writes)
        #expect(Self.bytes(writes) == Array(Self.frames[0][3...]) + [0xEE] + Self.frames[1])
        writes.removeAll()
        gate.inject(ByteBuffer(bytes: [0xEF]), writes: &writes)
        #expect(Self.bytes(writes) == [0xEF])  // at a boundary: at once
    }

    @Test func aFrameOverTheHoldLimitStreamsAndIsNotHeld() {
        var gate = DirectionGate(holdLimit: 4)
        gate.intercepting = true
        let (out, held) = Self.feed(&gate, chunkSize: 5, hold: [0, 1, 2])
        #expect(out == Self.frames.flatMap { $0 })
        #expect(held.isEmpty)
    }

    @Test func releasingEverythingKeepsOrder() {
        var gate = DirectionGate(holdLimit: 1 << 20)
        gate.intercepting = true
        let stream = Self.frames.flatMap { $0 }
        var writes: [ByteBuffer] = []
        // Everything but the last two bytes arrives; frames 0 and 1 are held.
        let passes = gate.arrived(ByteBuffer(bytes: stream.dropLast(2)))
        #expect(!passes)
        _ = gate.frameEnded(start: Self.ranges[0].0, end: Self.ranges[0].1, hold: true, writes: &writes)
        gate.nameLastHeld(10)
        _ = gate.frameEnded(start: Self.ranges[1].0, end: Self.ranges[1].1, hold: true, writes: &writes)
        gate.nameLastHeld(11)
        gate.chunkDone(writes: &writes)
        #expect(writes.isEmpty)
        let released = gate.releaseAll(includingPartialFrame: true, writes: &writes)
        #expect(released == [10, 11])
        #expect(Self.bytes(writes) == Array(stream.dropLast(2)))
    }
}
