import ArgumentParser
import WSTapRuntime

/// `wstap demo`: an echo server, the proxy in front of it and a scripted client, in one process, with
/// the terminal UI on the proxy.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "See wstap at work: a local echo server, the proxy in front of it, and a scripted client.",
        discussion: """
            The client sends text, JSON, binary, wide characters, a fragmented message, pings, an invalid
            frame and closes with a code and reason, then connects again, until you quit (q).
            Everything listens on 127.0.0.1 only. In the UI, ? lists the keys; x opens the frame composer
            (handcraft any frame, valid or not, and inject it), e edits the selected frame in it.
            """
    )

    @Option(help: "How many rounds the client plays (0: until you quit).") var rounds = 0
    @Option(help: "Milliseconds between the client's frames.") var pace = 400
    @Flag(help: "Print one line per event instead of opening the terminal UI.") var noTui = false

    func run() async throws {
        try await DemoRun.run(rounds: rounds, paceMilliseconds: pace, showsUI: !noTui && TerminalUI.isAvailable)
    }
}
