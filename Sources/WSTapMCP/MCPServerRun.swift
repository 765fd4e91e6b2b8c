import MCP
import NIOCore
import WSTapCore
import WSTapProxy

/// `wstap mcp --control SOCK`: a Model Context Protocol server on standard input and output that drives a running
/// `wstap proxy --control SOCK` through its control socket (docs/mcp.md). Each tool is one or two control commands;
/// nothing listens on the network.
public enum MCPServerRun {
    /// Serves until the client ends the session (closes standard input).
    public static func run(control socket: String, version: String) async throws {
        let server = Server(
            name: "wstap", version: version,
            instructions:
                "Drives a running wstap WebSocket proxy: list connections, hold frames (intercept) and forward, "
                + "drop or edit them, inject crafted messages, close connections.",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: MCPTools.all) }
        await server.withMethodHandler(CallTool.self) { call in
            do {
                let text = try await MCPTools.call(call.name, call.arguments ?? [:], socket: socket)
                return .init(content: [.text(text)], isError: false)
            } catch let error as MCPTools.Failure {
                return .init(content: [.text(error.description)], isError: true)
            } catch let error as ProxyControlError {
                return .init(content: [.text("the proxy's control socket: \(error.description)")], isError: true)
            } catch {
                return .init(content: [.text("\(error)")], isError: true)
            }
        }
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }
}
