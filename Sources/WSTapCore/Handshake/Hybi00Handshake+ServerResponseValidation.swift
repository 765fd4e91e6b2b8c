extension Hybi00Handshake {
    /// Checks a hybi-00 server response and the bytes that followed its head, as a client must.
    ///
    /// The status must be 101; `Upgrade` must list `WebSocket` and `Connection` must list `Upgrade` (case
    /// ignored); `Sec-WebSocket-Location` must be present (and equal `expectedLocation` when given);
    /// `Sec-WebSocket-Origin` must equal `expectedOrigin` when that is given; a `Sec-WebSocket-Protocol` must
    /// equal `requestedSubprotocol`; `body` must be the 16 bytes of `expectedAnswer`.
    public static func validateServerResponse(
        _ head: HTTPResponseHead, body: [UInt8], expectedAnswer: [UInt8], expectedOrigin: String? = nil,
        expectedLocation: String? = nil, requestedSubprotocol: String? = nil
    ) throws(HandshakeError) -> Hybi00AcceptedUpgrade {
        let headers = head.headers
        guard head.statusCode == 101 else {
            throw .unexpectedStatus(code: head.statusCode, reason: head.reason)
        }
        guard headers.containsToken("websocket", in: "Upgrade") else {
            throw .missingUpgradeToken(found: RFC6455Handshake.joinedValue(headers, "Upgrade"))
        }
        guard headers.containsToken("upgrade", in: "Connection") else {
            throw .missingConnectionToken(found: RFC6455Handshake.joinedValue(headers, "Connection"))
        }
        let origin = try single("Sec-WebSocket-Origin", in: headers, required: expectedOrigin != nil)
        if let expectedOrigin, let origin, origin != expectedOrigin {
            throw .headerMismatch(name: "Sec-WebSocket-Origin", expected: expectedOrigin, got: origin)
        }
        guard let location = try single("Sec-WebSocket-Location", in: headers, required: true) else {
            throw .missingHeader("Sec-WebSocket-Location")
        }
        if let expectedLocation, location != expectedLocation {
            throw .headerMismatch(name: "Sec-WebSocket-Location", expected: expectedLocation, got: location)
        }
        let subprotocol = try single("Sec-WebSocket-Protocol", in: headers, required: false)
        if let subprotocol, subprotocol != requestedSubprotocol {
            throw .unrequestedSubprotocol(subprotocol, requested: requestedSubprotocol.map { [$0] } ?? [])
        }
        guard body.count == 16 else {
            throw .bodyLength(expected: 16, got: body.count)
        }
        guard body == expectedAnswer else {
            throw .answerMismatch(expected: expectedAnswer, got: body)
        }
        return Hybi00AcceptedUpgrade(head: head, origin: origin, location: location, subprotocol: subprotocol)
    }

    /// The one value of a header; `nil` when absent and not required.
    private static func single(
        _ name: String, in headers: HTTPHeaderFields, required: Bool
    ) throws(HandshakeError) -> String? {
        let values = headers.values(name)
        guard values.count <= 1 else { throw .duplicateHeader(name, count: values.count) }
        if required && values.isEmpty {
            throw .missingHeader(name)
        }
        return values.first
    }
}
