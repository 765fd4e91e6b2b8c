import ArgumentParser
import WSTapMCP
import WSTapRuntime

/// `wstap mcp`: a Model Context Protocol server on stdio that drives a running proxy (docs/mcp.md).
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the Model Context Protocol on stdio, driving a running `wstap proxy --control PATH`.",
        discussion: """
            An AI agent (an MCP client) starts it and calls its tools: list connections, intercept, forward, \
            drop or edit held frames, inject messages, close connections. See docs/mcp.md.
            """
    )

    @Option(help: "The proxy's control socket (its --control PATH).") var control: String

    func run() async throws {
        try await MCPServerRun.run(control: control, version: WSTapVersion.string)
    }
}
