import ArgumentParser
import WSTapRuntime

/// `wstap stats FILE`: a recording's numbers per connection and per method, with the latencies of answers.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print a recording's numbers: per connection, and per method, event or topic a lens reads.",
        discussion: """
            Connections: messages and bytes each way, messages per second, errors. Methods (docs/lenses.md): \
            how many requests or events, how many answers, the answers' latency (p50, p99, max, in \
            milliseconds, from the recorded times), errors and unanswered requests.

            Examples:
              wstap stats session.jsonl
              wstap stats session.jsonl --json
              wstap stats session.jsonl --lens jsonrpc
            """
    )

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).") var file: String
    @Flag(help: "Print one JSON object instead of the tables.") var json = false
    @OptionGroup var lens: LensOption

    func run() async throws {
        try StatsRun.run(path: file, lenses: try lens.choice(), json: json, answerTimeout: lens.answerTimeout)
    }
}
