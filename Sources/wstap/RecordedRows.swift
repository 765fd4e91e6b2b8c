import NIOConcurrencyHelpers

/// Which recorded event each frame row of `wstap view` came from: the viewer's filter skips events, and
/// the framing toggle adds rows of its own, so a row's sequence number and its event's index differ.
/// Both only grow as the recording is read; one thread adds, searches read.
final class RecordedRows: Sendable {
    /// Rows read from the recording, in order: their sequence numbers and their events' indexes.
    struct Entries {
        var sequences: [Int] = []
        var eventIndexes: [Int] = []

        /// The position of the first entry whose sequence number is at least `sequence`.
        func lowerBound(_ sequence: Int) -> Int {
            var low = 0
            var high = sequences.count
            while low < high {
                let middle = (low + high) / 2
                if sequences[middle] < sequence { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    private let entries = NIOLockedValueBox(Entries())

    /// Notes that the row with this sequence number shows event `eventIndex` (both larger than before).
    func add(sequence: Int, eventIndex: Int) {
        entries.withLockedValue {
            $0.sequences.append(sequence)
            $0.eventIndexes.append(eventIndex)
        }
    }

    /// The entries so far (a copy that later additions do not change).
    var snapshot: Entries { entries.withLockedValue { $0 } }
}
