import WSTapNetwork

/// The manual's first example, a server that greets every client:
///
///     (ws-serve #:port 8081 (lambda (c s) (ws-send! c "Hello world!")))
///
/// `wstap-examples hello-server [PORT]` prints the URL it serves, then a line per greeting.
enum HelloServer {
    static func run(port: Int) async throws {
        let server = try await WebSocketServer.start(port: port) { connection in
            try await connection.send("Hello world!")
            print("greeted \(connection.info.remoteAddress?.hostAndPortText ?? "a client")")
        }
        print("serving ws://127.0.0.1:\(server.port)/")
        try await server.waitUntilStopped()
    }
}
