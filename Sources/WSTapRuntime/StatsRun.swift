import NIOCore
import WSTapCore
import WSTapInspect
public import WSTapLenses
import WSTapSession

/// `wstap stats FILE`: a recording's numbers per connection and per method, event or topic, with the
/// latencies of the answers the lenses paired with their requests.
public enum StatsRun {
    /// Reads the recording at `path` with the lenses `lenses` chooses and prints its tables (or, with
    /// `json`, one JSON object).
    public static func run(
        path: String, lenses: LensReader.Choice, json: Bool, answerTimeout: Duration = .seconds(30)
    ) throws {
        let reader = try RecordingInput.open(path)
        let statistics = try statistics(of: reader, lenses: lenses, answerTimeout: answerTimeout)
        var output = BufferedOutput()
        output.write(json ? StatisticsText.json(statistics) : StatisticsText.tables(statistics).dropLastNewline)
        output.flush()
        if let torn = reader.tornLine {
            StandardStreams.error("warning: \(reader.path): \(torn)\n")
        }
    }

    /// The numbers of every event of `reader`, its messages read by the lenses `lenses` chooses.
    static func statistics(
        of reader: RecordingReader, lenses: LensReader.Choice, answerTimeout: Duration = .seconds(30)
    ) throws -> LensStatistics {
        var statistics = LensStatistics()
        var messages = RecordedMessages(choice: lenses, answerTimeout: answerTimeout)
        try RecordingInput.forEach(in: reader) { event, _ in
            let (message, read) = messages.read(event)
            statistics.add(event)
            if let message {
                statistics.add(.message(message))
                let bytes = message.length ?? UInt64(message.payload.readableBytes)
                for (index, reading) in read.readings.enumerated() {
                    // The message's bytes count once, with its first packet.
                    statistics.add(reading, bytes: index == 0 ? bytes : 0)
                }
            }
            for request in read.unanswered { statistics.add(unanswered: request) }
        }
        return statistics
    }
}

extension String {
    /// The text without its last line break (the printer adds one).
    fileprivate var dropLastNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
