extension RFC6455Handshake {
    /// Checks a client's opening handshake request as a server must (RFC 6455 section 4.2.1).
    ///
    /// In order: the method must be `GET` (else 405 with `Allow: GET`); the version HTTP/1.1 or later, the
    /// target a path or absolute URI, exactly one non-empty `Host`, `Upgrade` must list `websocket` and
    /// `Connection` must list `upgrade` (tokens, case ignored) (else 400); `Sec-WebSocket-Version` must be
    /// exactly `13` (else 426 with `Sec-WebSocket-Version: 13`); then exactly one `Sec-WebSocket-Key` that is
    /// base64 of 16 bytes, and well-formed `Sec-WebSocket-Protocol` and `Sec-WebSocket-Extensions` (else 400).
    public static func validateClientRequest(_ head: HTTPRequestHead) -> Result<UpgradeRequest, HandshakeRejection> {
        let headers = head.headers
        let basics: HandshakeRequestBasics
        switch HandshakeRequestBasics.check(head, upgradeSpelling: "websocket") {
        case .success(let value): basics = value
        case .failure(let rejection): return .failure(rejection)
        }
        let versions = headers.values("Sec-WebSocket-Version").map { HTTPSyntax.trimmingWhitespace($0) }
        guard versions == [Self.version] else {
            let found =
                versions.isEmpty
                ? "no Sec-WebSocket-Version header" : "Sec-WebSocket-Version \(versions.joined(separator: ", "))"
            return .failure(
                HandshakeRejection(
                    status: 426, reason: "Upgrade Required",
                    explanation: "this server speaks WebSocket version 13 but the request has \(found).",
                    extraHeaders: ["Sec-WebSocket-Version": Self.version]))
        }
        let keys = headers.values("Sec-WebSocket-Key")
        guard keys.count == 1, let key = keys.first.map({ HTTPSyntax.trimmingWhitespace($0) }) else {
            let count = keys.isEmpty ? "no" : String(keys.count)
            return .failure(.badRequest("the request has \(count) Sec-WebSocket-Key headers but needs exactly one."))
        }
        guard let keyBytes = Base64.decode(key), keyBytes.count == 16 else {
            let problem = Base64.decode(key).map { "decodes to \($0.count) bytes" } ?? "is not valid base64"
            return .failure(.badRequest("the Sec-WebSocket-Key \"\(key)\" \(problem); it must be base64 of 16 bytes."))
        }
        let negotiated: NegotiatedLists
        do {
            negotiated = try NegotiatedLists(headers)
        } catch {
            return .failure(.badRequest("the request has a \(error.description)"))
        }
        let origin = headers.first("Origin") ?? headers.first("Sec-WebSocket-Origin")
        return .success(
            UpgradeRequest(
                head: head, key: key, host: basics.host, path: basics.target.path, query: basics.target.query,
                origin: origin,
                subprotocols: negotiated.subprotocols, extensions: negotiated.extensions))
    }
}
