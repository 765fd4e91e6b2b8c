extension RFC6455Handshake {
    /// Checks a server's handshake response as a client must (RFC 6455 section 4.1, last part).
    ///
    /// The status must be 101; `Upgrade` must list `websocket` and `Connection` must list `upgrade` (case
    /// ignored); there must be exactly one `Sec-WebSocket-Accept`, equal to the value for `key`; a chosen
    /// subprotocol must be a single one from `requestedSubprotocols` (compared exactly); every accepted
    /// extension must be named in `offeredExtensions` (case ignored).
    ///
    /// - Returns: the chosen subprotocol and the accepted extensions with their parameters.
    public static func validateServerResponse(
        _ head: HTTPResponseHead, key: String, requestedSubprotocols: [String] = [], offeredExtensions: [String] = []
    ) throws(HandshakeError) -> AcceptedUpgrade {
        let headers = head.headers
        guard head.statusCode == 101 else {
            throw .unexpectedStatus(code: head.statusCode, reason: head.reason)
        }
        guard headers.containsToken("websocket", in: "Upgrade") else {
            throw .missingUpgradeToken(found: joinedValue(headers, "Upgrade"))
        }
        guard headers.containsToken("upgrade", in: "Connection") else {
            throw .missingConnectionToken(found: joinedValue(headers, "Connection"))
        }
        let accepts = headers.values("Sec-WebSocket-Accept")
        guard let accept = accepts.first else {
            throw .missingHeader("Sec-WebSocket-Accept")
        }
        guard accepts.count == 1 else {
            throw .duplicateHeader("Sec-WebSocket-Accept", count: accepts.count)
        }
        let expected = acceptValue(forKey: key)
        guard accept == expected else {
            throw .acceptMismatch(expected: expected, got: accept)
        }
        let negotiated: NegotiatedLists
        do {
            negotiated = try NegotiatedLists(headers)
        } catch {
            throw .malformedHeader(error)
        }
        let chosen = negotiated.subprotocols
        let extensions = negotiated.extensions
        guard chosen.count <= 1 else {
            throw .multipleSubprotocols(chosen)
        }
        if let subprotocol = chosen.first, !requestedSubprotocols.contains(subprotocol) {
            throw .unrequestedSubprotocol(subprotocol, requested: requestedSubprotocols)
        }
        for offer in extensions
        where !offeredExtensions.contains(where: { HTTPSyntax.equalsIgnoringASCIICase($0, offer.name) }) {
            throw .unofferedExtension(offer.name, offered: offeredExtensions)
        }
        return AcceptedUpgrade(head: head, subprotocol: chosen.first, extensions: extensions)
    }

    /// The values of a header joined by `, `, or `nil` when absent.
    static func joinedValue(_ headers: HTTPHeaderFields, _ name: String) -> String? {
        let values = headers.values(name)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
