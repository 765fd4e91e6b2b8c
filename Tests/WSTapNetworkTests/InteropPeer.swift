import Foundation
import WSTapTestSupport

/// A third-party WebSocket implementation from Debian's packages, with an echo server and a checking
/// client script in `Peers/`.
struct InteropPeer: Sendable, CustomStringConvertible {
    var description: String
    /// The program that runs the scripts.
    var interpreter: String
    var serverScript: String
    var clientScript: String
    var environment: [String: String]
    /// A command that succeeds when the library is installed.
    var probe: [String]

    static let pythonWebsockets = InteropPeer(
        description: "python3-websockets", interpreter: PeerProcess.python, serverScript: "websockets_echo_server.py",
        clientScript: "websockets_client.py", environment: [:], probe: ["-c", "import websockets"])

    static let nodeWs = InteropPeer(
        description: "node-ws", interpreter: "/usr/bin/node", serverScript: "ws_echo_server.js",
        clientScript: "ws_client.js", environment: ["NODE_PATH": "/usr/share/nodejs"], probe: ["-e", "require('ws')"])

    static let all = [pythonWebsockets, nodeWs]

    /// (Waited for off the concurrency pool, like every peer a test waits for.)
    var isInstalled: Bool {
        get async {
            guard FileManager.default.isExecutableFile(atPath: interpreter),
                let process = try? PeerProcess(interpreter, probe, environment: environment)
            else { return false }
            return await process.finished().status == 0
        }
    }

    /// Starts the echo server (wss with a certificate and key); returns it and its port.
    func startServer(certificate: String? = nil, key: String? = nil) async throws -> (PeerProcess, String) {
        let tls = [certificate, key].compactMap { $0 }
        let process = try PeerProcess(interpreter, [script(serverScript)] + tls, environment: environment)
        return (process, await process.firstLine())
    }

    /// Runs the checking client against a URL (trusting a CA file for wss).
    func runClient(url: String, caFile: String? = nil) async throws -> ProgramResult {
        let process = try PeerProcess(
            interpreter, [script(clientScript), url] + [caFile].compactMap { $0 }, environment: environment)
        return await process.finished()
    }

    private func script(_ name: String) -> String {
        PeerScripts.folder(of: "WSTapNetworkTests").appendingPathComponent(name).path
    }
}
