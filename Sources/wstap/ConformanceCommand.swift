import ArgumentParser
import WSTapCore
import WSTapRuntime

/// `wstap conformance`: runs the conformance cases (Autobahn's categories) against a WebSocket server.
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Test a WebSocket server against the conformance cases (Autobahn's categories and numbering).",
        discussion: """
            Each case opens a connection of its own, sends its frames byte-exactly (deliberately broken ones \
            too) and judges what comes back: OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED or FAILED, as the \
            Autobahn test suite does. Prints a table per category and a line per case that was not OK; \
            --json writes every case with what was sent, expected and received. docs/conformance.md says \
            what each category checks.
            --listen tests a client instead: each connection it opens (to any path, or to /runCase?case=ID) \
            runs the next case; the client must echo every message back.
            Exit status: 0 when no case FAILED, 1 when one did, 2 for a bad URL or pattern or a server that \
            cannot be reached.

            Examples:
              wstap conformance ws://127.0.0.1:9001/
              wstap conformance ws://127.0.0.1:9001/ --cases '1.*,5.*' --json out.json
              wstap conformance ws://127.0.0.1:9001/ --exclude '9.*'
              wstap conformance --list --cases '7.7.*'
              wstap conformance --listen 127.0.0.1:9002   # then start the client
            """
    )

    @OptionGroup var peer: PeerUnderTestFlags
    @Option(help: "Only these cases: comma-separated ids or patterns (1.1.1, 5.*, 6.*.split*). Repeatable.")
    var cases: [String] = []
    @Option(help: "Leave these cases out (same patterns as --cases). Repeatable.") var exclude: [String] = []
    @Option(help: "How many cases run at once.") var jobs = 4
    @Option(help: "Seconds: the longest wait for any one reply, close or end of TCP in a case.") var timeout: Double =
        10
    @Option(help: "Seconds the server has to fail once a violation is in, before the rest is sent (non-strict).")
    var failFastWait: Double = 1
    @Option(help: "The server's maximum message size in bytes: adds the cases that go over it (9.0.*).")
    var maxMessageSize: Int?
    @Option(help: "Write the report as JSON to this file.") var json: String?
    @Option(help: "Write a static HTML report into this folder (index.html; the transcripts in transcripts/).")
    var html: String?
    @Option(help: "Record each case's connection into this folder (ID.jsonl, which wstap view opens).")
    var transcripts: String?
    @Option(help: "The hybi-00 framing the server speaks, old or new: which of the cases 14.1 and 14.2 run.")
    var hybi00Framing: Hybi00Framing = .old
    @Flag(help: "List the selected cases (id and name) and exit.") var list = false

    func run() async throws {
        var options = ConformanceCommandRun.Options(peer: peer.peer)
        options.cases = cases
        options.exclude = exclude
        options.jobs = jobs
        options.timeout = timeout
        options.failFastWait = failFastWait
        options.maxMessageSize = maxMessageSize
        options.json = json
        options.transcripts = transcripts
        options.html = html
        options.list = list
        options.hybi00Framing = hybi00Framing
        let status = try await ConformanceCommandRun.run(options)
        if status != 0 { throw ExitStatus(status) }
    }
}
