import WSTapNetwork

/// The manual's client example, with extra request headers (`ws-connect`'s `#:headers`):
///
///     (define c (ws-connect (string->url "ws://localhost:8081/")
///                           #:headers (list (make-header #"X-Example" #"from Swift"))))
///     (ws-send! c "Hello world!")
///
/// `wstap-examples connect-with-headers URL` sends the greeting, prints the first reply and closes.
enum ConnectWithHeaders {
    static func run(url: WebSocketURL) async throws {
        let options = ClientOptions(extraHeaders: ["X-Example": "from Swift"])
        let connection = try await WebSocketClient.connect(to: url, options: options)
        print("connected: \(connection.info.response.statusCode) \(connection.info.response.reason)")
        try await connection.send("Hello world!")
        if let reply = await connection.receive() {
            print("reply: \(reply.text ?? "\(reply.data.readableBytes) bytes")")
        }
        let outcome = await connection.close()
        print("closed cleanly: \(outcome.wasClean)")
    }
}
