import ArgumentParser
import WSTapRuntime

/// `wstap fuzz`: sends a WebSocket server mutated traffic and reports what it did wrong, each finding minimized
/// and written as a recording that `wstap replay --check` plays again.
struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract:
            "Fuzz a WebSocket server: mutated frames and payloads; findings minimized into replayable recordings.",
        discussion: """
            Each case opens a connection, sends messages built from a grammar (or the client frames of a \
            --seed recording) with one to three mutations (header bits, opcodes, lengths that lie, masks, \
            fragmentation, control frames mid-message; bit flips, boundary sizes, invalid UTF-8, control \
            characters, deep JSON, long strings), then a probe ping. Findings: TCP ended or reset without a \
            close frame, no answer within --timeout, a close code that may not be sent, a frame that breaks \
            the RFC, an answer slower than --slow, the --exec process dying (it is started again), the target \
            no longer accepting connections. Each finding is run again to confirm it, minimized (fewest frames, \
            smallest payload), and written to --out as finding-N.jsonl (replay it with wstap replay FILE --to \
            URL --check: exit 1 while the target still misbehaves) and finding-N.txt (one line).
            --as-server --listen HOST:PORT fuzzes a client the same way: wstap plays the server and runs a case \
            on each connection the client opens (it must connect again and again; --exec starts it, {port} \
            in the command is the port listened on).
            Exit status: 0 when nothing was found, 1 when something was, 2 for a usage problem or a target that \
            cannot be reached. docs/fuzz.md says more.

            Examples:
              wstap fuzz ws://127.0.0.1:9001/ --duration 30
              wstap fuzz ws://127.0.0.1:9001/ --exec 'python3 server.py 9001' --cases 2000 --seed-random 7
              wstap fuzz ws://127.0.0.1:9001/ --seed session.jsonl --mutations invalid-utf8,control-chars
              wstap fuzz --as-server --listen 127.0.0.1:0 --exec 'python3 client.py ws://127.0.0.1:{port}/'
            """
    )

    @OptionGroup var peer: PeerUnderTestFlags
    @Flag(help: "Fuzz a client: play the server, one case per connection the client opens (with --listen).")
    var asServer = false
    @Option(help: "A recording whose client frames are mutated (besides messages from the grammar).") var seed: String?
    @Option(help: "The seed of the random source: the same seed sends the same cases.") var seedRandom: UInt64?
    @Option(help: "Stop after this many cases.") var cases: Int?
    @Option(help: "Stop after this many seconds (default 60 when --cases is not given).") var duration: Double?
    @Option(help: "At most this many cases a second.") var rate: Double?
    @Option(help: "Seconds to wait for the answer to a case.") var timeout: Double = 5
    @Option(help: "Seconds: an answer slower than this is a finding (0: never).") var slow: Double = 2
    @Option(help: "A shell command that starts the target ({port}: the port listened on with --as-server).")
    var exec: String?
    @Option(help: "Where findings are written.") var out = "wstap-findings"
    @Option(help: "Stop after this many findings.") var maxFindings = 10
    @Option(help: "Only these mutation kinds (comma-separated: rsv, opcode, fin, length-lie, ...). Repeatable.")
    var mutations: [String] = []
    @Flag(help: "Fuzz a target that is not on a loopback address.") var yes = false

    func run() async throws {
        var options = FuzzCommandRun.Options(peer: peer.peer)
        options.asServer = asServer
        options.seed = seed
        options.seedRandom = seedRandom
        options.cases = cases
        options.duration = duration
        options.rate = rate
        options.timeout = timeout
        options.slow = slow
        options.exec = exec
        options.out = out
        options.maxFindings = maxFindings
        options.mutations = mutations
        options.yes = yes
        let status = try await FuzzCommandRun.run(options)
        if status != 0 { throw ExitStatus(status) }
    }
}
