import Foundation
import WSTapTestSupport

/// The replay tests' peers (Peers/): a python3-websockets server and a node-ws client.
extension PeerProcess {
    /// A python3-websockets server (`echo` or `upper`); returns it and its port.
    static func pythonServer(_ mode: String) async throws -> (PeerProcess, Int) {
        let peer = try PeerProcess.python(PeerScripts.script("websockets_server.py", of: "WSTapReplayTests"), [mode])
        return (peer, try await peer.port())
    }

    /// Runs the node-ws client script to completion (waiting off the concurrency pool: blocking one of its
    /// few threads could starve the server under test).
    static func nodeClient(url: String, subprotocol: String, messages: String) async throws -> ProgramResult {
        try await PeerProcess.node(
            PeerScripts.script("ws_replay_client.js", of: "WSTapReplayTests"), [url, subprotocol, messages]
        ).finished()
    }
}
