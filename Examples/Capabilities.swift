import WSTapNetwork

/// What a connection can do, which depends on the protocol variant it speaks (RFC 6455, or the older
/// hybi-00 draft): `ws-conn-supports-fragmentation?`, `ws-conn-supports-payload-type?` and
/// `ws-conn-signals-status-on-close?`, with `ws-connect`'s `#:protocol`:
///
///     (define c (ws-connect (string->url url) #:protocol 'hybi00))
///     (ws-conn-supports-payload-type? c 'binary)
///
/// `wstap-examples capabilities URL [rfc6455|hybi00]` connects to an echo server, prints the three
/// capabilities, tries a binary message and a text one, and closes with a status.
enum Capabilities {
    static func run(url: WebSocketURL, variant: ProtocolVariant) async throws {
        let connection = try await WebSocketClient.connect(to: url, options: ClientOptions(variant: variant))
        print("variant: \(connection.variant)")
        print("supports fragmentation: \(connection.supportsFragmentation)")
        print("supports binary payloads: \(connection.supportsPayloadType(.binary))")
        print("signals status on close: \(connection.signalsStatusOnClose)")
        do {
            try await connection.send(bytes: [0xCA, 0xFE])
            print("binary echo: \(await connection.receive()?.data.readableBytes ?? 0) bytes")
        } catch {
            print("binary refused: \(error)")
        }
        try await connection.send("Hello world!")
        print("text echo: \(await connection.receive()?.text ?? "none")")
        let outcome = try await connection.close(code: 4000, reason: "bye")
        print("closed cleanly: \(outcome.wasClean), status received: \(outcome.receivedCode.map { "\($0)" } ?? "none")")
    }
}
