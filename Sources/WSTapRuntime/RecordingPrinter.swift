import WSTapCore
public import WSTapFilter
import WSTapInspect
public import WSTapLenses
import WSTapPipeline
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

    /// Prints the events of `reader` that `filter` keeps, with what `lenses` read in the messages (as
    /// `message` events or lines after the frame that completes each, when that frame is printed). A bad
    /// line stops the output with an error naming it; an incomplete last line is skipped with a warning on
    /// standard error.
    ///
    /// With `expression` (`--filter`), a frame or message event is printed only when it passes it too, each
    /// on its own: a message passes or not whether its frame was printed.
    public static func print(
        _ reader: RecordingReader, filter: RecordingFilter, format: Format, lenses: LensReader.Choice = .off,
        answerTimeout: Duration = .seconds(30), expression: FilterExpression? = nil
    ) throws {
        var expressionFilter = expression.map(TrafficEventFilter.init)
        var output = BufferedOutput()
        defer { output.flush() }
        // Frames are numbered over the whole recording, before the filters: a frame keeps its index.
        var json = TrafficEventJSON()
        // The lenses see every event, filtered or not: a lens reads a connection from its start.
        var reading =
            format == .recordingLines || !lenses.isOn
            ? nil : RecordedMessages(choice: lenses, answerTimeout: answerTimeout)
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
            let read = reading?.read(recorded.event) ?? (nil, LensReader.Output())
            for request in read.1.unanswered {
                let note = TrafficEvent.note(
                    connection: request.connection, text: LensText.unanswered(request), at: read.1.at ?? request.at)
                if filter.matches(note) {
                    output.write(format == .json ? json.line(note) : TrafficEventDescription.line(note))
                }
            }
            let passes = expressionFilter?.passes(recorded.event) ?? true
            if filter.matches(recorded.event), passes {
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
            } else {
                json.skip(recorded.event)
                // Without --filter, a message is printed after its frame, when that frame is.
                if expressionFilter == nil { continue }
            }
            guard let message = read.0 else { continue }
            for lensReading in read.1.readings {
                // With --filter, a message is tested on its own.
                if expressionFilter != nil {
                    guard filter.matches(.message(message)),
                        expressionFilter?.passes(.message(message), reading: lensReading) == true
                    else { continue }
                }
                output.write(format == .json ? LensText.json(message, lensReading) : LensText.line(lensReading))
            }
        }
        output.flush()
        if let torn = reader.tornLine {
            StandardStreams.error("warning: \(reader.path): \(torn)\n")
        }
    }
}
