extension Hybi00Handshake {
    /// Checks a hybi-00 handshake request and the 8 key bytes that followed its head.
    ///
    /// The method must be `GET` (else 405 with `Allow: GET`); the version HTTP/1.1 or later, the target a path
    /// or absolute URI, exactly one non-empty `Host`, `Upgrade` must list `WebSocket` and `Connection` must list
    /// `Upgrade` (case ignored), there must be exactly one `Sec-WebSocket-Key1` and one `Sec-WebSocket-Key2`,
    /// each encoding a number (read as `keyTexts(_:in:)` says: a trailing space counts), and `body` must be exactly 8 bytes (else 400).
    public static func validateClientRequest(
        _ head: HTTPRequestHead, body: [UInt8]
    ) -> Result<Hybi00UpgradeRequest, HandshakeRejection> {
        let headers = head.headers
        let basics: HandshakeRequestBasics
        switch HandshakeRequestBasics.check(head, upgradeSpelling: "WebSocket") {
        case .success(let value): basics = value
        case .failure(let rejection): return .failure(rejection)
        }
        let key1Values = keyTexts("Sec-WebSocket-Key1", in: headers)
        let key2Values = keyTexts("Sec-WebSocket-Key2", in: headers)
        guard key1Values.count == 1, key2Values.count == 1, let key1 = key1Values.first, let key2 = key2Values.first
        else {
            return .failure(
                .badRequest(
                    "the request has \(key1Values.count) Sec-WebSocket-Key1 and \(key2Values.count) "
                        + "Sec-WebSocket-Key2 headers but needs exactly one of each."))
        }
        guard body.count == 8 else {
            return .failure(.badRequest("the request head must be followed by 8 key bytes, not \(body.count)."))
        }
        let keys: Hybi00ClientKeys
        do {
            keys = try Hybi00ClientKeys(key1: key1, key2: key2, key3: body)
        } catch {
            return .failure(.badRequest("\(error.description)."))
        }
        return .success(
            Hybi00UpgradeRequest(
                head: head, keys: keys, host: basics.host, path: basics.target.path, query: basics.target.query,
                origin: headers.first("Origin"), subprotocol: headers.first("Sec-WebSocket-Protocol")))
    }
}
