import ArgumentParser
import WSTapRuntime

/// `wstap repeat`: a recorded message sent again on a new connection with the recorded handshake.
struct RepeatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repeat",
        abstract: "Send a recorded message again (as recorded or edited) on a new connection; print what came back.",
        discussion: """
            Opens a connection with the recorded request (path, headers, subprotocols and extensions offered; \
            fresh keys, the new Host), sends the message that --frame belongs to (one frame, masked, \
            uncompressed; a fragment stands for its whole message), prints every message that comes back until \
            as many came as the recording had (the server's greetings before the client's first message, and its \
            replies to this one; --replies N says how many in all), at most --timeout seconds, and closes with 1000. Frames are numbered from 1 \
            in the connection, both directions counted (wstap view shows them in that order). --edit-payload \
            sends other data: text, or hex:/b64: for binary (text: escapes a prefix).

            Examples:
              wstap repeat session.jsonl --conn 1 --frame 3 --to ws://127.0.0.1:9001
              wstap repeat session.jsonl --frame 3 --edit-payload '{"op":"get_balance","user":2}'
            """
    )

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).") var file: String
    @Option(help: "The recorded connection (default: the first one).") var conn: UInt64?
    @Option(help: "The frame whose message is sent (1: the connection's first, both directions counted).")
    var frame: Int
    @Option(help: "Send this instead of the recorded payload (hex:/b64: for binary).") var editPayload: String?
    @Option(help: "Connect here: ws[s]://host[:port][/path] (default: where the recorded connection went).")
    var to: String?
    @Option(help: "Wait for this many messages in all (default: the recording's greetings and replies to it).")
    var replies: Int?
    @Option(help: "Seconds to wait for them.") var timeout: Double = 5
    @OptionGroup var clientTLS: ClientTLSFlags

    func validate() throws {
        guard frame >= 1 else { throw ValidationError("--frame \(frame): frames are numbered from 1") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout: expected a positive number") }
        if let replies, replies < 0 { throw ValidationError("--replies: expected 0 or more") }
    }

    func run() async throws {
        try await RepeatRun.run(
            .init(
                path: file, connection: conn, frame: frame, editedPayload: editPayload, target: to, replies: replies,
                timeout: .milliseconds(Int64(timeout * 1000)), tls: clientTLS.options))
    }
}
