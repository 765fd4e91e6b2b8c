import NIOCore
public import WSTapCore
public import WSTapLenses

/// What lenses read, in words: a `message` event with its `lens` object (docs/lenses.md), a line for
/// `--no-tui`, and the note about a request that had no answer.
public enum LensText {
    /// A `message` event: the message's fields, then `lens` with what `reading` read in it.
    public static func json(_ message: TrafficEvent.MessageSeen, _ reading: LensReader.Reading) -> String {
        writer(message, reading).json
    }

    /// The `message` event of ``json(_:_:)`` and a line feed, in UTF-8: a line to print.
    public static func jsonLine(_ message: TrafficEvent.MessageSeen, _ reading: LensReader.Reading) -> [UInt8] {
        writer(message, reading).finishLine()
    }

    private static func writer(_ message: TrafficEvent.MessageSeen, _ reading: LensReader.Reading) -> JSONWriter {
        var writer = JSONWriter()
        TrafficEventJSON.addMessage(message, to: &writer)
        writer.addObject("lens") { addLens(reading, to: &$0) }
        return writer
    }

    /// `{"name": ..., "summary": ..., "fields": {...}, "correlation": {...}, "problem": ...}`.
    public static func lensObject(_ reading: LensReader.Reading) -> String {
        var lens = JSONWriter()
        addLens(reading, to: &lens)
        return lens.json
    }

    private static func addLens(_ reading: LensReader.Reading, to lens: inout JSONWriter) {
        lens.add("name", reading.lens)
        lens.add("summary", reading.view.summary)
        lens.addRaw("fields") { reading.view.fields.appendJSON(to: &$0) }
        if let correlation = reading.view.correlation {
            lens.addObject("correlation") { pair in
                pair.add("id", correlation.id)
                pair.add("role", correlation.role.rawValue)
                if let latency = reading.latencyNanoseconds { pair.addRaw("latencyMs", milliseconds(latency)) }
            }
        }
        if let problem = reading.view.problem { lens.add("problem", problem) }
    }

    /// `12:00:01.234 #3 → socketio ACK 12 [3] (1.234 ms)`.
    public static func line(_ reading: LensReader.Reading) -> String {
        var line =
            "\(TrafficEventDescription.clock(reading.at)) #\(reading.connection) \(reading.direction.arrow) "
            + "\(reading.lens) \(reading.view.summary)"
        if let latency = reading.latencyNanoseconds { line += " (\(milliseconds(latency)) ms)" }
        return line
    }

    /// The text of the note about a request that had no answer: `no answer to socketio "EVENT add [1,2]
    /// ack=12" (→, 12:00:01.234)`.
    public static func unanswered(_ request: CorrelationTracker.Pending) -> String {
        "no answer to \(request.lens) \(PayloadPreview.quoted(request.summary)) "
            + "(\(request.direction.arrow), \(TrafficEventDescription.clock(request.at)))"
    }

    /// Nanoseconds as milliseconds with three decimals (`12.345`).
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let micros = (nanoseconds + 500) / 1_000
        let fraction = String(micros % 1_000)
        return String(micros / 1_000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
