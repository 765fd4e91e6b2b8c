import WSTapNetwork

/// The manual's multi-fragment message:
///
///     (ws-send! c #"first" #:final-fragment? #f)
///     (ws-send! c #"second" #:final-fragment? #f #:payload-type 'continuation)
///     (ws-send! c #"third" #:final-fragment? #t #:payload-type 'continuation)
///
/// `wstap-examples fragmented-send URL` sends it to an echo server and prints what comes back: the
/// three fragments as one message.
enum FragmentedSend {
    static func run(url: WebSocketURL) async throws {
        let connection = try await WebSocketClient.connect(to: url)
        try await connection.send("first", finalFragment: false)
        try await connection.send("second", opcode: .continuation, finalFragment: false)
        try await connection.send("third", opcode: .continuation, finalFragment: true)
        if let echo = await connection.receive() {
            print("echo: \(echo.text ?? "not text")")
        }
        await connection.close()
    }
}
