import Testing

@testable import WSTapSession

/// The recorder's queue (`changed`: whether a step made it fall behind or catch up): it takes everything in order and never refuses, falls behind above the high-water
/// mark and catches up at the low-water mark, counting bytes being written until they are.
@Suite struct RecordingBacklogTests {
    @Test func fallsBehindAboveTheHighMarkOnly() {
        var backlog = RecordingBacklog<Int>(highWaterMark: 100, lowWaterMark: 40)
        var changed = backlog.append(1, size: 60)
        #expect(!changed)
        changed = backlog.append(2, size: 40)
        #expect(!changed)
        #expect(!backlog.isBehind, "exactly at the high mark is not above it")
        changed = backlog.append(3, size: 1)
        #expect(changed)
        #expect(backlog.isBehind)
        // Already behind: no second transition, and still nothing refused.
        changed = backlog.append(4, size: 500)
        #expect(!changed)
        #expect(backlog.items == [1, 2, 3, 4])
        #expect(backlog.byteCount == 601)
    }

    @Test func catchesUpAtTheLowMarkOnceWritten() {
        var backlog = RecordingBacklog<Int>(highWaterMark: 100, lowWaterMark: 40)
        _ = backlog.append(1, size: 150)
        let batch = backlog.takeAll()
        #expect(batch == [1])
        #expect(backlog.items.isEmpty)
        // Taken is not written: the bytes still count, and it is still behind.
        #expect(backlog.byteCount == 150)
        #expect(backlog.isBehind)
        // More arrives while the batch is written.
        _ = backlog.append(2, size: 50)
        var changed = backlog.written(150)
        #expect(!changed, "50 bytes left: above the low mark")
        #expect(backlog.isBehind)
        let second = backlog.takeAll()
        #expect(second == [2])
        changed = backlog.written(5)
        #expect(!changed, "45 bytes left")
        changed = backlog.written(5)
        #expect(changed, "40 bytes left: at the low mark")
        #expect(!backlog.isBehind)
        changed = backlog.written(40)
        #expect(!changed, "caught up once only")
        #expect(backlog.isEmpty)
    }

    @Test func staysCaughtUpBetweenTheMarks() {
        var backlog = RecordingBacklog<Int>(highWaterMark: 100, lowWaterMark: 40)
        _ = backlog.append(1, size: 80)
        _ = backlog.takeAll()
        var changed = backlog.written(80)
        #expect(!changed)
        // Between the marks, growing again: not behind until above the high mark.
        _ = backlog.append(2, size: 90)
        #expect(!backlog.isBehind)
        changed = backlog.append(3, size: 20)
        #expect(changed)
    }

    /// Items come out in the order they went in, every one of them, over many batches and transitions.
    @Test func keepsOrderAndLosesNothing() {
        var backlog = RecordingBacklog<Int>(highWaterMark: 1000, lowWaterMark: 200)
        var written: [Int] = []
        var transitions: [Bool] = []
        var next = 0
        for round in 0..<50 {
            for _ in 0..<(round % 7 + 1) * 5 {
                if backlog.append(next, size: 37 + next % 50) { transitions.append(true) }
                next += 1
            }
            // The writer takes everything and writes it in a few pieces.
            let batch = backlog.takeAll()
            written += batch
            var sizes = batch.map { 37 + $0 % 50 }
            while !sizes.isEmpty {
                let piece = sizes.prefix(3).reduce(0, +)
                sizes.removeFirst(min(3, sizes.count))
                if backlog.written(piece) { transitions.append(false) }
            }
        }
        #expect(written == Array(0..<next))
        #expect(backlog.isEmpty)
        #expect(!backlog.isBehind)
        #expect(transitions.count >= 2, "the rounds crossed the marks")
        // Strictly alternating, starting with falling behind.
        #expect(transitions == (0..<transitions.count).map { $0 % 2 == 0 })
    }

    @Test func stopWaitingEndsBeingBehind() {
        var backlog = RecordingBacklog<Int>(highWaterMark: 10, lowWaterMark: 5)
        var changed = backlog.stopWaiting()
        #expect(!changed)
        _ = backlog.append(1, size: 11)
        changed = backlog.stopWaiting()
        #expect(changed)
        #expect(!backlog.isBehind)
    }
}
