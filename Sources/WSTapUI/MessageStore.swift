import WSTapCore

/// The frames grouped into messages, for the message view: per connection and direction, a data frame
/// and the continuations after it up to the one with FIN make one message; every control frame, hybi-00
/// frame and stray continuation is a message of its own. Kept as compact entries in a ring as big as
/// the frame store's, oldest first; a message whose first frame left the frame store leaves too.
struct MessageStore: Sendable {
    struct Entry: Sendable {
        /// The sequence numbers of its first and last frames so far.
        var firstSequence: Int
        var lastSequence: Int
        /// The sum of its frames' declared payload lengths.
        var length: UInt64
        var frameCount: UInt32
        var flags: Flags

        struct Flags: OptionSet, Sendable {
            let rawValue: UInt8
            /// Its last frame had FIN (or it is a single frame).
            static let complete = Flags(rawValue: 1 << 0)
            /// One of its frames breaks a rule.
            static let violations = Flags(rawValue: 1 << 1)
            /// A later data frame started before this one's FIN (the message never finished).
            static let abandoned = Flags(rawValue: 1 << 2)
        }
    }

    let capacity: Int
    private var entries: [Entry] = []
    /// Storage slot of the oldest entry once the ring is full.
    private var head = 0
    /// How many messages were ever started.
    private(set) var endNumber = 0
    /// Messages waiting for their FIN: the message number by connection and direction.
    private var open: [UInt64: Int] = [:]

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }
    var firstNumber: Int { endNumber - entries.count }

    private func slot(_ number: Int) -> Int {
        let offset = head + (number - firstNumber)
        return offset >= entries.count ? offset - entries.count : offset
    }

    /// The message with a number still held.
    func entry(number: Int) -> Entry? {
        guard number >= firstNumber, number < endNumber else { return nil }
        return entries[slot(number)]
    }

    /// Adds a frame; returns the new message's number when the frame starts one (else it joined an open
    /// message).
    mutating func add(_ row: FrameRow, sequence: Int) -> Int? {
        var flags: Entry.Flags = row.hasViolations ? [.violations] : []
        guard !row.isHybi00, !row.opcode.isControl else {
            flags.insert(.complete)
            return append(
                Entry(
                    firstSequence: sequence, lastSequence: sequence, length: row.payloadLength, frameCount: 1,
                    flags: flags))
        }
        let key = row.connection &<< 1 | (row.direction == .serverToClient ? 1 : 0)
        if row.opcode == .continuation {
            if !open.isEmpty, let number = open[key], number >= firstNumber {
                let index = slot(number)
                entries[index].lastSequence = sequence
                entries[index].length &+= row.payloadLength
                entries[index].frameCount &+= 1
                entries[index].flags.formUnion(flags)
                if row.fin {
                    entries[index].flags.insert(.complete)
                    open[key] = nil
                }
                return nil
            }
            // A continuation with no message open: a message of its own (its violation says so).
            flags.insert(.complete)
            return append(
                Entry(
                    firstSequence: sequence, lastSequence: sequence, length: row.payloadLength, frameCount: 1,
                    flags: flags))
        }
        if !open.isEmpty, let unfinished = open.removeValue(forKey: key), unfinished >= firstNumber {
            entries[slot(unfinished)].flags.insert(.abandoned)
        }
        if row.fin { flags.insert(.complete) }
        let number = append(
            Entry(
                firstSequence: sequence, lastSequence: sequence, length: row.payloadLength, frameCount: 1, flags: flags)
        )
        if !row.fin {
            if open.count >= 4096 {
                // Bounded: drop the messages gone from the ring, and if that is not enough, forget them all
                // (their later continuations become messages of their own).
                open = open.filter { $0.value >= firstNumber }
                if open.count >= 4096 { open = [:] }
            }
            open[key] = number
        }
        return number
    }

    private mutating func append(_ entry: Entry) -> Int {
        if entries.count < capacity {
            if entries.count == entries.capacity {
                entries.reserveCapacity(RingGrowth.next(entries.count, limit: capacity))
            }
            entries.append(entry)
        } else {
            entries[head] = entry
            head = head + 1 == capacity ? 0 : head + 1
        }
        endNumber += 1
        return endNumber - 1
    }

    /// The number of the message whose first frame is `sequence`, if one is.
    func number(startingAt sequence: Int) -> Int? {
        let number = firstNumber(atOrAfter: sequence)
        guard let entry = entry(number: number), entry.firstSequence == sequence else { return nil }
        return number
    }

    /// The number of the first message whose first frame is at or after `sequence` (`endNumber` if none).
    func firstNumber(atOrAfter sequence: Int) -> Int {
        var low = firstNumber
        var high = endNumber
        while low < high {
            let middle = (low + high) / 2
            if entries[slot(middle)].firstSequence < sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The message a frame belongs to: the latest message at or before it on the frame's connection and
    /// direction that spans it (looks back at most `limit` messages).
    func number(
        containing sequence: Int, connection: UInt64, direction: TrafficDirection, rows: FrameStore, limit: Int = 256
    )
        -> Int?
    {
        var number = firstNumber(atOrAfter: sequence + 1) - 1
        var looked = 0
        while number >= firstNumber, looked < limit {
            let entry = entries[slot(number)]
            if entry.lastSequence >= sequence, let head = rows.row(entry.firstSequence), head.connection == connection,
                head.direction == direction
            {
                return number
            }
            number -= 1
            looked += 1
        }
        return nil
    }
}
