import WSTapCore
import WSTapInspect
public import WSTapSession

/// `wstap view` without the terminal UI: a recording's events that pass a filter, printed as lines or JSON
/// events like the headless proxy prints them, or as the recording's own lines (a smaller recording).
public enum RecordingPrinter {
    /// What is printed per event.
    public enum Format: Sendable {
        /// A text line, as `wstap proxy --no-tui` prints.
        case lines
        /// A JSON event, as `wstap proxy --jsonl` prints.
        case json
        /// The recording's own line (after its header line).
        case recordingLines
    }

    /// Prints the events of `reader` that `filter` keeps. A bad line stops the output with an error naming
    /// it; an incomplete last line is skipped with a warning on standard error.
    public static func print(_ reader: RecordingReader, filter: RecordingFilter, format: Format) throws {
        var output = BufferedOutput()
        defer { output.flush() }
        // Frames are numbered over the whole recording, before the filters: a frame keeps its index.
        var json = TrafficEventJSON()
        if format == .recordingLines {
            do {
                output.write(try reader.headerLineBytes())
            } catch {
                throw CommandFailure(error.description)
            }
        }
        for result in reader.events() {
            let recorded: RecordedEvent
            switch result {
            case .success(let event): recorded = event
            case .failure(let error):
                output.flush()
                throw CommandFailure(error.description)
            }
            guard filter.matches(recorded.event) else {
                json.skip(recorded.event)
                continue
            }
            switch format {
            case .recordingLines:
                do {
                    try reader.withLine(at: recorded.index) { output.write($0) }
                } catch {
                    throw CommandFailure(error.description)
                }
            case .json: output.write(json.line(recorded.event))
            case .lines: output.write(TrafficEventDescription.line(recorded.event))
            }
        }
        output.flush()
        if let torn = reader.tornLine {
            StandardStreams.error("warning: \(reader.path): \(torn)\n")
        }
    }
}
