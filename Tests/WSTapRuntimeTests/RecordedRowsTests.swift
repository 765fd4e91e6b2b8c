import Testing
import WSTapCore
import WSTapSession

@testable import WSTapRuntime

/// The viewer's row-to-event map, kept as runs, against the plain arrays it stands for.
@Suite struct RecordedRowsTests {
    /// Rows as the viewer adds them: mostly consecutive, with breaks where events are filtered out or not
    /// frames, and where the framing toggle adds rows of its own.
    private func randomRows(count: Int, using generator: inout some RandomNumberGenerator) -> [(Int, Int)] {
        var rows: [(Int, Int)] = []
        var sequence = Int.random(in: 0...3, using: &generator)
        var eventIndex = Int.random(in: 0...3, using: &generator)
        for _ in 0..<count {
            rows.append((sequence, eventIndex))
            sequence += Int.random(in: 0..<10, using: &generator) == 0 ? Int.random(in: 2...5, using: &generator) : 1
            eventIndex += Int.random(in: 0..<7, using: &generator) == 0 ? Int.random(in: 2...9, using: &generator) : 1
        }
        return rows
    }

    @Test(arguments: [0, 1, 2, 50, 1000])
    func runsAnswerAsTheArraysWould(count: Int) {
        var generator = SystemRandomNumberGenerator()
        let rows = randomRows(count: count, using: &generator)
        let map = RecordedRows()
        for (sequence, eventIndex) in rows { map.add(sequence: sequence, eventIndex: eventIndex) }
        let entries = map.snapshot
        #expect(entries.count == rows.count)
        for (position, row) in rows.enumerated() {
            #expect(entries.sequence(at: position) == row.0)
            #expect(entries.eventIndex(at: position) == row.1)
        }
        let last = rows.last?.0 ?? 0
        for sequence in -1...(last + 2) {
            let expected = rows.firstIndex { $0.0 >= sequence } ?? rows.count
            #expect(entries.lowerBound(sequence) == expected, "lowerBound(\(sequence))")
        }
    }

    @Test func aSnapshotDoesNotChangeWithLaterRows() {
        let map = RecordedRows()
        map.add(sequence: 0, eventIndex: 1)
        map.add(sequence: 1, eventIndex: 2)
        let before = map.snapshot
        map.add(sequence: 2, eventIndex: 3)
        map.add(sequence: 7, eventIndex: 20)
        #expect(before.count == 2)
        #expect(before.lowerBound(7) == 2)
        #expect(map.snapshot.lowerBound(7) == 3)
        #expect(map.snapshot.eventIndex(at: 3) == 20)
    }
}
