import ArgumentParser
import WSTapCore
import WSTapFilter
import WSTapRuntime
import WSTapSession

/// `wstap view`: reads a recording back, as lines or JSON events like the headless proxy prints, or as
/// the recorded lines themselves, filtered.
struct ViewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Show a recording made with --record (a line or JSON event per event, or its own lines filtered).",
        discussion: """
            In a terminal the recording opens in the terminal UI (the filters apply); --no-tui prints it. \
            A bad line stops the output with an error naming the line; an incomplete last line (left by a \
            writer that was killed) is skipped with a warning.

            Examples:
              wstap view session.jsonl --no-tui
              wstap view session.jsonl --jsonl --dir c2s --opcode text --grep 'error|fail'
              wstap view session.jsonl --recording-lines --conn 2 > conn2.jsonl
            """
    )

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).") var file: String

    @Flag(help: "Print one line per event, like `wstap proxy --no-tui`, instead of opening the terminal UI.")
    var noTui = false

    @Flag(help: "Print the events as JSON lines, as `wstap proxy --jsonl` does (docs/json-events.md).")
    var jsonl = false

    @Flag(help: "Print the recording's own lines (the header first) that pass the filters: a smaller recording.")
    var recordingLines = false

    @Option(help: "Only this connection's events.") var conn: UInt64?
    @Option(help: "Only frames (and raw bytes) going this way: c2s or s2c.") var dir: String?

    @Option(help: "Only frames with this opcode: a name (text, binary, close, ping, pong, cont) or a number.")
    var opcode: String?

    @Option(help: "Only frames whose payload text (or inflated payload) matches this regular expression.")
    var grep: String?

    @OptionGroup var lens: LensOption
    @OptionGroup var outputFilter: OutputFilterOption

    func validate() throws {
        guard !(jsonl && recordingLines) else { throw ValidationError("give --jsonl or --recording-lines, not both") }
    }

    func run() async throws {
        let filter = try RecordingFilter(connection: conn, direction: dir, opcode: opcode, pattern: grep)
        let reader = try RecordingInput.open(file)
        let lenses = try lens.choice()
        let showsUI = !noTui && !jsonl && !recordingLines && TerminalUI.isAvailable
        let expression = try outputFilter.expression(lenses: lenses, printing: !showsUI)
        if showsUI {
            try await RecordingViewer.show(reader, filter: filter, lenses: lenses)
        } else {
            try RecordingPrinter.print(
                reader, filter: filter, format: jsonl ? .json : recordingLines ? .recordingLines : .lines,
                lenses: lenses, answerTimeout: lens.answerTimeout, expression: expression)
        }
    }
}
