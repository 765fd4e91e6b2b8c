import NIOConcurrencyHelpers

/// Which recorded event each frame row of `wstap view` came from: the viewer's filter skips events, and
/// the framing toggle adds rows of its own, so a row's sequence number and its event's index differ.
/// Both only grow as the recording is read; one thread adds, searches read.
final class RecordedRows: Sendable {
    /// Rows read from the recording, in order (positions from 0): their sequence numbers and their events'
    /// indexes. Kept as runs in which both go up by one from row to row, which is how a recording mostly
    /// reads (a million frames of one connection are one run), so memory grows with the breaks only.
    struct Entries {
        private struct Run {
            var firstPosition: Int
            var firstSequence: Int
            var firstEventIndex: Int
        }

        private var runs: [Run] = []
        /// How many rows there are.
        private(set) var count = 0

        /// Adds the next row (both numbers larger than the last row's).
        mutating func append(sequence: Int, eventIndex: Int) {
            if let last = runs.last {
                let step = count - last.firstPosition
                if sequence == last.firstSequence + step, eventIndex == last.firstEventIndex + step {
                    count += 1
                    return
                }
            }
            runs.append(Run(firstPosition: count, firstSequence: sequence, firstEventIndex: eventIndex))
            count += 1
        }

        /// The run holding the row at `position` (which must be below ``count``).
        private func run(holding position: Int) -> Run {
            var low = 0
            var high = runs.count
            // The last run starting at or before `position`.
            while high - low > 1 {
                let middle = (low + high) / 2
                if runs[middle].firstPosition <= position { low = middle } else { high = middle }
            }
            return runs[low]
        }

        /// The sequence number of the row at `position`.
        func sequence(at position: Int) -> Int {
            let run = run(holding: position)
            return run.firstSequence + (position - run.firstPosition)
        }

        /// The index of the recorded event shown by the row at `position`.
        func eventIndex(at position: Int) -> Int {
            let run = run(holding: position)
            return run.firstEventIndex + (position - run.firstPosition)
        }

        /// The position of the first row whose sequence number is at least `sequence`.
        func lowerBound(_ sequence: Int) -> Int {
            // The last run starting at or below `sequence`.
            var low = -1
            var high = runs.count
            while high - low > 1 {
                let middle = (low + high) / 2
                if runs[middle].firstSequence <= sequence { low = middle } else { high = middle }
            }
            guard low >= 0 else { return 0 }
            let run = runs[low]
            let length = (low + 1 < runs.count ? runs[low + 1].firstPosition : count) - run.firstPosition
            return run.firstPosition + min(sequence - run.firstSequence, length)
        }
    }

    private let entries = NIOLockedValueBox(Entries())

    /// Notes that the row with this sequence number shows event `eventIndex` (both larger than before).
    func add(sequence: Int, eventIndex: Int) {
        entries.withLockedValue { $0.append(sequence: sequence, eventIndex: eventIndex) }
    }

    /// The entries so far (a copy that later additions do not change).
    var snapshot: Entries { entries.withLockedValue { $0 } }
}
