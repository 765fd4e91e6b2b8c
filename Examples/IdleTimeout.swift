import WSTapNetwork

/// `ws-idle-timeout`: a connection that receives no frame for this long is closed (300 seconds unless
/// told otherwise):
///
///     (parameterize ([ws-idle-timeout 5])
///       (ws-serve #:port 8081 (lambda (c s) (let loop () (unless (eof-object? (ws-recv c)) (loop))))))
///
/// `wstap-examples idle-timeout [PORT] [SECONDS]` prints each message it gets and how each connection
/// ended.
enum IdleTimeout {
    static func run(port: Int, seconds: Int64) async throws {
        let options = ServerOptions(idleTimeout: .seconds(seconds))
        let server = try await WebSocketServer.start(port: port, options: options) { connection in
            while let message = await connection.receive() {
                print("got: \(message.text ?? "\(message.data.readableBytes) bytes")")
            }
            let outcome = await connection.closeOutcome()
            print("closed: sent \(outcome.sentCode.map { "\($0)" } ?? "no close frame"), clean: \(outcome.wasClean)")
        }
        print("serving ws://127.0.0.1:\(server.port)/ (idle timeout \(seconds) s)")
        try await server.waitUntilStopped()
    }
}
