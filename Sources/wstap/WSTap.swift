import ArgumentParser
import WSTapRuntime

/// The `wstap` root command: a WebSocket inspector, proxy and frame workbench.
@main
struct WSTap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wstap",
        abstract: "A WebSocket inspector, proxy and frame workbench (RFC 6455 and hybi-00).",
        version: WSTapVersion.string,
        subcommands: [
            CraftCommand.self, DecodeCommand.self, ServeCommand.self, ConnectCommand.self, ProxyCommand.self,
            CtlCommand.self, CACommand.self, ViewCommand.self, DemoCommand.self, ExportCommand.self,
            ReplayCommand.self, RepeatCommand.self, StatsCommand.self, ConformanceCommand.self, FuzzCommand.self,
        ]
    )

    /// Parses the command line and runs the command, as ArgumentParser does; an ``ExitStatus`` a run throws
    /// ends the process with that status and no message.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let status as ExitStatus {
            exit(withError: ExitCode(status.code))
        } catch {
            exit(withError: error)
        }
    }
}
