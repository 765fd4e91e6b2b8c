import WSTapNetwork

/// `ws-close!` with a status and a reason, and what the peer said in its close frame
/// (`ws-conn-close-status`, `ws-conn-close-reason`):
///
///     (ws-close! c #:status 4000 #:reason "done for today")
///     (list (ws-conn-close-status c) (ws-conn-close-reason c))
///
/// `wstap-examples close-with-status URL` opens a connection, tries a code that may not be sent, closes it
/// and prints how it ended.
enum CloseWithStatus {
    static func run(url: WebSocketURL) async throws {
        let connection = try await WebSocketClient.connect(to: url)
        // 1005 only reports "no status received": no endpoint may send it. Nothing is sent, nothing changes.
        do {
            try await connection.close(code: 1005)
        } catch {
            print("refused: \(error)")
        }
        let outcome = try await connection.close(code: 4000, reason: "done for today")
        print("closed cleanly: \(outcome.wasClean), by the \(outcome.initiator.map { "\($0)" } ?? "network")")
        print("the server answered: \(outcome.receivedCode.map { "\($0)" } ?? "no status") \(outcome.receivedReason)")
        print("closed: \(connection.isClosed)")
    }
}
