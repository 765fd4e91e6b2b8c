public import WSTapCore

/// The opening handshakes of a replay, built from the recorded ones: the client's request with fresh keys,
/// and the mock server's response answering the keys a real client sent.
public enum ReplayHandshake {
    /// What the client must check in the server's answer.
    public enum Expectation: Sendable {
        case rfc6455(key: String, subprotocols: [String], extensions: [String])
        case hybi00(keys: Hybi00ClientKeys, subprotocol: String?)
    }

    /// The request to send (head, then the hybi-00 key bytes when `body` is not empty): the recorded
    /// request with the target's `Host`, fresh keys, and the target's path when it names one other than `/`.
    ///
    /// With `keepsKeys` the recorded keys are sent again instead (`Sec-WebSocket-Key`, or hybi-00's two key
    /// headers and 8 key bytes), so the handshake is byte for byte the recorded one but for `Host` and
    /// the path; the server's answer is still checked against the keys.
    public static func clientRequest(
        for opened: TrafficEvent.ConnectionOpened, target: WebSocketURL, keepsKeys: Bool = false
    ) -> (head: HTTPRequestHead, body: [UInt8], expectation: Expectation) {
        var head = opened.request
        head.rawBytes = nil
        if target.resource != "/" { head.target = target.resource }
        head.headers.replaceOrAdd(name: "Host", value: target.hostHeader)
        switch opened.variant {
        case .rfc6455:
            let recordedKey = keepsKeys ? opened.request.headers.first("Sec-WebSocket-Key") : nil
            let key = recordedKey ?? RFC6455Handshake.makeClientKey()
            head.headers.replaceOrAdd(name: "Sec-WebSocket-Key", value: key)
            let subprotocols = (try? SubprotocolList.parse(opened.request.headers)) ?? []
            let extensions = ((try? ExtensionOffer.parse(opened.request.headers)) ?? []).map(\.name)
            return (head, [], .rfc6455(key: key, subprotocols: subprotocols, extensions: extensions))
        case .hybi00:
            let keys = (keepsKeys ? recordedKeys(opened) : nil) ?? Hybi00Handshake.makeClientKeys()
            head.headers.replaceOrAdd(name: "Sec-WebSocket-Key1", value: keys.key1)
            head.headers.replaceOrAdd(name: "Sec-WebSocket-Key2", value: keys.key2)
            let subprotocol = opened.request.headers.first("Sec-WebSocket-Protocol")
            return (head, keys.key3, .hybi00(keys: keys, subprotocol: subprotocol))
        }
    }

    /// The hybi-00 keys the recorded client sent, when the recording has all three and they are valid.
    static func recordedKeys(_ opened: TrafficEvent.ConnectionOpened) -> Hybi00ClientKeys? {
        guard let key1 = Hybi00Handshake.keyTexts("Sec-WebSocket-Key1", in: opened.request.headers).first,
            let key2 = Hybi00Handshake.keyTexts("Sec-WebSocket-Key2", in: opened.request.headers).first,
            opened.requestBody.count == 8
        else { return nil }
        return try? Hybi00ClientKeys(key1: key1, key2: key2, key3: opened.requestBody)
    }

    /// How many bytes follow the response head in the handshake (16 for hybi-00).
    public static func responseBodyLength(_ expectation: Expectation) -> Int {
        if case .hybi00 = expectation { return 16 }
        return 0
    }

    /// Checks the server's answer; returns the permessage-deflate parameters it agreed on, if any.
    public static func validate(
        _ response: HTTPResponseHead, body: [UInt8], expectation: Expectation
    ) throws(ReplayError) -> PerMessageDeflateParameters? {
        do {
            switch expectation {
            case .rfc6455(let key, let subprotocols, let extensions):
                let accepted = try RFC6455Handshake.validateServerResponse(
                    response, key: key, requestedSubprotocols: subprotocols, offeredExtensions: extensions)
                guard
                    let offer = accepted.extensions.first(where: {
                        $0.name.lowercased() == PerMessageDeflateParameters.extensionName
                    })
                else { return nil }
                return try? PerMessageDeflateParameters(parsing: offer)
            case .hybi00(let keys, let subprotocol):
                _ = try Hybi00Handshake.validateServerResponse(
                    response, body: body, expectedAnswer: keys.expectedAnswer, requestedSubprotocol: subprotocol)
                return nil
            }
        } catch {
            throw ReplayError("the server's handshake response is not acceptable: \(error)")
        }
    }

    /// Keeps in the recorded response only the extensions the client offered (a client refuses any other),
    /// and of permessage-deflate's parameters none that the client must have asked for first
    /// (`client_max_window_bits`).
    static func answerOnlyOfferedExtensions(_ response: inout HTTPResponseHead, request: HTTPRequestHead) {
        guard let recorded = try? ExtensionOffer.parse(response.headers), !recorded.isEmpty else { return }
        let offers = (try? ExtensionOffer.parse(request.headers)) ?? []
        let answer = recorded.compactMap { accepted -> ExtensionOffer? in
            let name = accepted.name.lowercased()
            let offered = offers.filter { $0.name.lowercased() == name }
            guard !offered.isEmpty else { return nil }
            guard name == PerMessageDeflateParameters.extensionName else { return accepted }
            let asksWindow = offered.contains { offer in
                offer.parameters.contains { $0.name.lowercased() == "client_max_window_bits" }
            }
            var kept = accepted
            if !asksWindow { kept.parameters.removeAll { $0.name.lowercased() == "client_max_window_bits" } }
            return kept
        }
        guard answer != recorded else { return }
        response.headers.remove(name: ExtensionOffer.headerName)
        if !answer.isEmpty {
            response.headers.add(name: ExtensionOffer.headerName, value: ExtensionOffer.headerValue(for: answer))
        }
    }

    /// Keeps the recorded `Sec-WebSocket-Protocol` only when the client asked for that subprotocol (a client
    /// refuses one it did not ask for); otherwise the answer names none.
    static func answerOnlyRequestedSubprotocol(_ response: inout HTTPResponseHead, request: HTTPRequestHead) {
        guard let recorded = response.headers.first(SubprotocolList.headerName) else { return }
        let requested = (try? SubprotocolList.parse(request.headers)) ?? []
        if !requested.contains(recorded) { response.headers.remove(name: SubprotocolList.headerName) }
    }

    /// The mock server's response to a client's request: the recorded response with the accept value (or
    /// the hybi-00 answer, location and origin) computed for this client, never the recorded ones (they
    /// answer the recorded client's keys). Rejections carry the reason.
    public static func serverResponse(
        recorded opened: TrafficEvent.ConnectionOpened, request: HTTPRequestHead, keyBytes: [UInt8],
        secure: Bool = false
    ) -> Result<(head: HTTPResponseHead, body: [UInt8]), HandshakeRejection> {
        var response = opened.response
        response.rawBytes = nil
        switch (opened.variant, HandshakeVariant.detect(request)) {
        case (.rfc6455, .rfc6455):
            switch RFC6455Handshake.validateClientRequest(request) {
            case .success(let upgrade):
                response.headers.replaceOrAdd(name: "Sec-WebSocket-Accept", value: upgrade.acceptValue)
                answerOnlyOfferedExtensions(&response, request: request)
                answerOnlyRequestedSubprotocol(&response, request: request)
                return .success((response, []))
            case .failure(let rejection):
                return .failure(rejection)
            }
        case (.hybi00, .hybi00):
            switch Hybi00Handshake.validateClientRequest(request, body: keyBytes) {
            case .success(let upgrade):
                response.headers.replaceOrAdd(name: "Sec-WebSocket-Location", value: upgrade.location(secure: secure))
                if let origin = upgrade.origin {
                    response.headers.replaceOrAdd(name: "Sec-WebSocket-Origin", value: origin)
                }
                answerOnlyRequestedSubprotocol(&response, request: request)
                return .success((response, upgrade.answer))
            case .failure(let rejection):
                return .failure(rejection)
            }
        case (_, .notWebSocket):
            return .failure(
                HandshakeRejection(status: 400, reason: "Bad Request", explanation: "not a WebSocket upgrade request"))
        case (let recorded, _):
            return .failure(
                HandshakeRejection(
                    status: 400, reason: "Bad Request",
                    explanation: "the recorded connection speaks \(recorded.rawValue), this request another variant"))
        }
    }
}
