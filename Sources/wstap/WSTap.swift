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
            ReplayCommand.self,
        ]
    )
}
