import WSTapNetwork

/// `ws-serve`'s `#:conn-headers`: a function of the request that returns extra response headers and a
/// state value for the connection, which the handler gets:
///
///     (ws-serve #:port 8081
///               #:conn-headers (lambda (request-line headers)
///                                (values (list (make-header #"X-Room" room)) (visit room name)))
///               (lambda (c visit) (ws-send! c (format "welcome to ~a, ~a" ...))))
///
/// `wstap-examples connection-state [PORT]`: a client of `ws://127.0.0.1:PORT/rooms/kitchen` is told its
/// room in an `X-Room` response header, and greeted with its room and the name in its `X-Name` header.
enum ConnectionState {
    /// What the server remembers about a connection from its request.
    struct Visit: Sendable {
        var room: String
        var name: String
    }

    static func run(port: Int) async throws {
        let options = ServerOptions(connectionSetup: { request in
            let path = request.target.split(separator: "?").first ?? ""
            let room = path.split(separator: "/").last.map(String.init) ?? "lobby"
            let visit = Visit(room: room, name: request.headers.first("X-Name") ?? "stranger")
            return ConnectionSetup(extraHeaders: ["X-Room": room], state: visit)
        })
        let server = try await WebSocketServer.start(port: port, options: options) { connection in
            guard let visit = connection.state as? Visit else { return }
            try await connection.send("welcome to the \(visit.room), \(visit.name)")
            print("\(visit.name) joined the \(visit.room)")
        }
        print("serving ws://127.0.0.1:\(server.port)/rooms/...")
        try await server.waitUntilStopped()
    }
}
