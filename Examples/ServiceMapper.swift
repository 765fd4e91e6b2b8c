import WSTapNetwork

/// The manual's second example: a route table that picks a handler by path and subprotocol.
///
///     (ws-serve* #:port 8081
///                ["/test" ; the URL path (regular expression)
///                 [(subprotocol) ; if client requests subprotocol "subprotocol"
///                  (lambda (c) (ws-send! c "You requested a subprotocol"))]
///                 [(#f) ; if client did not request any subprotocol
///                  (lambda (c) (ws-send! c "You didn't explicitly request a subprotocol"))]])
///
/// `wstap-examples service-mapper [PORT]`. Any other path, or another subprotocol, is refused with
/// `400 Bad WebSocket request`.
enum ServiceMapper {
    static func run(port: Int) async throws {
        let test = try WebSocketRoute(
            path: "/test",
            handlers: [
                ("subprotocol", { connection in try await connection.send("You requested a subprotocol") }),
                (nil, { connection in try await connection.send("You didn't explicitly request a subprotocol") }),
            ])
        let server = try await WebSocketServer.start(port: port, routes: [test])
        print("serving ws://127.0.0.1:\(server.port)/test")
        try await server.waitUntilStopped()
    }
}
