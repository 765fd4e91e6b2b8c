import ArgumentParser
import Foundation
import WSTapCore
import WSTapInspect
import WSTapSession

/// `wstap view`: reads a recording back, as lines like the headless proxy prints, or as the recorded
/// JSON lines, filtered.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Show a recording made with --record (one line per event, or its JSON lines filtered).",
        discussion: """
            In a terminal the recording opens in the terminal UI (the filters apply); --no-tui prints it. \
            A bad line stops the output with an error naming the line; an incomplete last line (left by a \
            writer that was killed) is skipped with a warning.

            Examples:
              wstap view session.jsonl --no-tui
              wstap view session.jsonl --jsonl --dir c2s --opcode text --grep 'error|fail'
            """
    )

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).")
    var file: String

    @Flag(help: "Print one line per event, like `wstap proxy --no-tui`, instead of opening the terminal UI.")
    var noTui = false

    @Flag(help: "Print the recording's own JSON lines (the header first), only those that pass the filters.")
    var jsonl = false

    @Option(help: "Only this connection's events.")
    var conn: UInt64?

    @Option(help: "Only frames (and raw bytes) going this way: c2s or s2c.")
    var dir: String?

    @Option(help: "Only frames with this opcode: a name (text, binary, close, ping, pong, cont) or a number.")
    var opcode: String?

    @Option(help: "Only frames whose payload text (or inflated payload) matches this regular expression.")
    var grep: String?

    func run() throws {
        var filter = RecordingFilter(connection: conn)
        if let dir {
            guard let direction = TrafficDirection(rawValue: dir) else {
                throw CommandFailure("--dir '\(dir)': expected c2s or s2c")
            }
            filter.direction = direction
        }
        if let opcode {
            guard let parsed = Opcode(name: opcode) else {
                throw CommandFailure("--opcode '\(opcode)': expected text, binary, close, ping, pong, cont or 0-15")
            }
            filter.opcode = parsed
        }
        if let grep {
            do {
                filter.pattern = try NSRegularExpression(pattern: grep)
            } catch {
                throw CommandFailure("--grep '\(grep)': not a valid regular expression")
            }
        }
        let reader: RecordingReader
        do {
            reader = try RecordingReader(path: file)
        } catch {
            throw CommandFailure(error.description)
        }
        if !noTui, !jsonl, TerminalUI.isAvailable {
            try RecordingViewer.show(reader, filter: filter)
            return
        }
        var output = BufferedOutput()
        defer { output.flush() }
        if jsonl {
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
            guard filter.matches(recorded.event) else { continue }
            if jsonl {
                do {
                    try reader.withLine(at: recorded.index) { output.write($0) }
                } catch {
                    throw CommandFailure(error.description)
                }
            } else {
                output.write(TrafficEventDescription.line(recorded.event))
            }
        }
        output.flush()
        if let torn = reader.tornLine {
            FileHandle.standardError.write(Data("warning: \(file): \(torn)\n".utf8))
        }
    }
}
