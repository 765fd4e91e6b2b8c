import ArgumentParser
import WSTapRuntime

/// `wstap ctl`: one command to a running proxy's control socket.
struct CtlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "Send a control command to a running `wstap proxy --control PATH`.",
        discussion: """
            Commands:
              connections                          open connection ids
              intercept off
              intercept c2s|s2c|both [conn=N] [opcode=text,binary,8] [contains=TEXT]
                [regex=PATTERN]                    hold the frames that match
              held                                 frames waiting: id #conn dir kind size
              forward ID | drop ID | edit ID HEX   decide on a held frame
              inject CONN c2s|s2c HEX...           send crafted bytes
              close CONN client|server [CODE [REASON...]]
                                                   close one side with a close frame
              framing CONN old|new                 switch a hybi-00 connection's framing
            Examples:
              S=/tmp/wstap.sock                    # the proxy's --control PATH
              wstap ctl --socket $S intercept c2s contains=password
              wstap ctl --socket $S edit 3 $(wstap craft --text hunter2 --mask random)
              wstap ctl --socket $S inject 1 s2c $(wstap craft --text 'hello from wstap')
            """
    )

    @Option(help: "The proxy's control socket (its --control PATH).") var socket: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its words.") var words: [String] = []

    func run() async throws {
        try await ControlRun.send(words, to: socket)
    }
}
