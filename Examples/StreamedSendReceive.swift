import WSTapNetwork

/// `ws-send!` with an input port (streamed as fragments of at most `rfc6455-stream-buffer-size` bytes),
/// and `ws-recv #:stream? #t` (a message read as its bytes arrive):
///
///     (parameterize ([rfc6455-stream-buffer-size 16384])
///       (ws-send! c (open-input-file file)))
///     (copy-port (ws-recv c #:stream? #t) (current-output-port))
///
/// `wstap-examples streamed-send-receive URL FILE` sends FILE (as text, the original's default) to an echo
/// server without holding it whole, then copies the echo to standard output as it arrives.
enum StreamedSendReceive {
    static func run(url: WebSocketURL, file: String) async throws {
        let connection = try await WebSocketClient.connect(to: url, options: ClientOptions(streamBufferSize: 16384))
        try await connection.send(contentsOfFile: file)
        print("sent \(file) in fragments of at most \(connection.streamBufferSize) bytes")
        if let stream = try await connection.receiveStream() {
            for try await chunk in stream {
                print(String(buffer: chunk), terminator: "")
            }
        }
        await connection.close()
    }
}
