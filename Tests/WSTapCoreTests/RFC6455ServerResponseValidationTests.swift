import Testing
import WSTapCore

@Suite("RFC6455 server response validation")
struct RFC6455ServerResponseValidationTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    static func response(
        status: Int = 101, reason: String = "Switching Protocols", changing changes: [(String, String)] = [],
        adding additions: [(String, String)] = []
    ) -> HTTPResponseHead {
        var headers: HTTPHeaderFields = [
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        ]
        for (name, value) in changes {
            if value.isEmpty {
                headers.remove(name: name)
            } else {
                headers.replaceOrAdd(name: name, value: value)
            }
        }
        for (name, value) in additions {
            headers.add(name: name, value: value)
        }
        return HTTPResponseHead(statusCode: status, reason: reason, headers: headers)
    }

    private func validate(_ head: HTTPResponseHead) throws(HandshakeError) -> AcceptedUpgrade {
        try RFC6455Handshake.validateServerResponse(
            head, key: Self.key, requestedSubprotocols: ["chat"], offeredExtensions: ["permessage-deflate"])
    }

    @Test func acceptsAMinimalResponse() throws {
        let accepted = try validate(
            Self.response(changing: [("Upgrade", "WebSocket"), ("Connection", "foo, upgrade")]))
        #expect(accepted.subprotocol == nil)
        #expect(accepted.extensions.isEmpty)
    }

    @Test(arguments: [
        (response(status: 200, reason: "OK"), HandshakeError.unexpectedStatus(code: 200, reason: "OK")),
        (response(changing: [("Upgrade", "")]), .missingUpgradeToken(found: nil)),
        (response(changing: [("Upgrade", "h2c")]), .missingUpgradeToken(found: "h2c")),
        (response(changing: [("Connection", "")]), .missingConnectionToken(found: nil)),
        (response(changing: [("Connection", "close")]), .missingConnectionToken(found: "close")),
        (response(changing: [("Sec-WebSocket-Accept", "")]), .missingHeader("Sec-WebSocket-Accept")),
        (
            response(adding: [("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")]),
            .duplicateHeader("Sec-WebSocket-Accept", count: 2)
        ),
        (
            response(changing: [("Sec-WebSocket-Accept", "AAAA")]),
            .acceptMismatch(expected: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", got: "AAAA")
        ),
        (
            response(adding: [("Sec-WebSocket-Protocol", "superchat")]),
            .unrequestedSubprotocol("superchat", requested: ["chat"])
        ),
        (response(adding: [("Sec-WebSocket-Protocol", "chat, chat")]), .multipleSubprotocols(["chat", "chat"])),
        (
            response(adding: [("Sec-WebSocket-Extensions", "x-webkit-deflate-frame")]),
            .unofferedExtension("x-webkit-deflate-frame", offered: ["permessage-deflate"])
        ),
    ])
    func rejects(head: HTTPResponseHead, expected: HandshakeError) {
        let error = #expect(throws: HandshakeError.self) { try validate(head) }
        #expect(error == expected)
    }

    @Test func rejectsMalformedExtensions() {
        let error = #expect(throws: HandshakeError.self) {
            try validate(Self.response(adding: [("Sec-WebSocket-Extensions", "permessage-deflate; ;")]))
        }
        guard case .malformedHeader(let inner) = error else {
            Issue.record("expected a malformed header, got \(String(describing: error))")
            return
        }
        #expect(inner.offset == 20)
    }

    @Test func errorsReadAsSentences() {
        #expect(
            HandshakeError.unexpectedStatus(code: 403, reason: "Forbidden").description
                == "the server answered 403 Forbidden instead of 101 Switching Protocols")
        #expect(
            HandshakeError.acceptMismatch(expected: "a", got: "b").description
                == "Sec-WebSocket-Accept is \"b\" but the key requires \"a\"")
        #expect(
            HandshakeError.unrequestedSubprotocol("x", requested: []).description
                == "the server chose subprotocol \"x\", which was not requested (none was requested)")
    }
}
