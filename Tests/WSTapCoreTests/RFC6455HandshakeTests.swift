import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite("RFC6455Handshake")
struct RFC6455HandshakeTests {
    static let sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

    /// A valid request from the RFC's example, with the given headers changed (an empty value removes one).
    static func request(
        method: String = "GET", target: String = "/chat?room=1", version: String = "HTTP/1.1",
        changing changes: [(String, String)] = []
    ) -> HTTPRequestHead {
        var headers: HTTPHeaderFields = [
            "Host": "server.example.com",
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": sampleKey,
            "Origin": "http://example.com",
            "Sec-WebSocket-Protocol": "chat, superchat",
            "Sec-WebSocket-Version": "13",
        ]
        for (name, value) in changes {
            if value.isEmpty {
                headers.remove(name: name)
            } else {
                headers.replaceOrAdd(name: name, value: value)
            }
        }
        return HTTPRequestHead(method: method, target: target, version: version, headers: headers)
    }

    @Test func computesTheRFCSampleAcceptValue() {
        #expect(RFC6455Handshake.acceptValue(forKey: Self.sampleKey) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func makesRandomSixteenByteKeys() {
        var generator = FuzzRandom(seed: 1)
        let first = RFC6455Handshake.makeClientKey(using: &generator)
        let second = RFC6455Handshake.makeClientKey(using: &generator)
        #expect(Base64.decode(first)?.count == 16)
        #expect(first != second)
        #expect(RFC6455Handshake.isValidClientKey(RFC6455Handshake.makeClientKey()))
    }

    @Test func buildsAClientRequest() {
        let head = RFC6455Handshake.makeClientRequest(
            host: "example.com:8080", path: "/ws", origin: "http://example.com", subprotocols: ["chat", "v2"],
            extensions: [ExtensionOffer(name: "permessage-deflate")], extraHeaders: ["X-Trace": "1"],
            key: Self.sampleKey)
        let text = String(decoding: head.serialized(), as: UTF8.self)
        #expect(
            text
                == "GET /ws HTTP/1.1\r\nHost: example.com:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, v2\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate\r\nX-Trace: 1\r\n\r\n")
        #expect(HandshakeVariant.detect(head) == .rfc6455)
        #expect(RFC6455Handshake.makeClientRequest(host: "h", path: "", key: Self.sampleKey).target == "/")
    }

    @Test func acceptsAValidRequest() throws {
        let head = Self.request(changing: [("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")])
        let upgrade = try RFC6455Handshake.validateClientRequest(head).get()
        #expect(upgrade.key == Self.sampleKey)
        #expect(upgrade.host == "server.example.com")
        #expect(upgrade.path == "/chat")
        #expect(upgrade.query == "room=1")
        #expect(upgrade.origin == "http://example.com")
        #expect(upgrade.subprotocols == ["chat", "superchat"])
        #expect(upgrade.extensions.map(\.name) == ["permessage-deflate"])
        #expect(upgrade.acceptValue == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func matchesTokensIgnoringCaseInLists() throws {
        let head = Self.request(
            target: "ws://server.example.com/chat",
            changing: [
                ("Connection", "keep-alive, Upgrade"), ("Upgrade", "WebSocket"), ("Sec-WebSocket-Version", " 13 "),
            ]
        )
        let upgrade = try RFC6455Handshake.validateClientRequest(head).get()
        #expect(upgrade.path == "/chat")
        #expect(upgrade.query == nil)
        let other = Self.request(changing: [("Connection", "UPGRADE"), ("Upgrade", "h2c, WEBSOCKET")])
        #expect(throws: Never.self) { try RFC6455Handshake.validateClientRequest(other).get() }
    }

    @Test(
        arguments: [
            ("/", "/", nil), ("/a/b?", "/a/b", ""), ("/x?y=1?z", "/x", "y=1?z"), ("ws://h", "/", nil),
            ("wss://h:1?q", "/", "q"), ("http://h/p/q?r=s", "/p/q", "r=s"),
        ] as [(String, String, String?)])
    func splitsTargets(target: String, path: String, query: String?) throws {
        let upgrade = try RFC6455Handshake.validateClientRequest(Self.request(target: target)).get()
        #expect(upgrade.path == path)
        #expect(upgrade.query == query)
    }

    @Test(arguments: ["*", "example.com:443", "://h/p", "/a b"])
    func rejectsOtherTargetForms(target: String) {
        #expect(throws: HandshakeRejection.self) {
            try RFC6455Handshake.validateClientRequest(Self.request(target: target)).get()
        }
    }

    @Test(arguments: [
        (request(method: "POST"), 405, "must use GET"),
        (request(version: "HTTP/1.0"), 400, "HTTP/1.1 or later"),
        (request(target: "*"), 400, "neither a path"),
        (request(changing: [("Host", "")]), 400, "no Host header"),
        (request(changing: [("Upgrade", "")]), 400, "Upgrade header is missing"),
        (request(changing: [("Upgrade", "h2c")]), 400, "Upgrade header is \"h2c\""),
        (request(changing: [("Connection", "keep-alive")]), 400, "must list Upgrade"),
        (request(changing: [("Sec-WebSocket-Key", "")]), 400, "no Sec-WebSocket-Key"),
        (request(changing: [("Sec-WebSocket-Key", "Zm9v")]), 400, "decodes to 3 bytes"),
        (request(changing: [("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ")]), 400, "not valid base64"),
        (request(changing: [("Sec-WebSocket-Protocol", "chat, bad name")]), 400, "Sec-WebSocket-Protocol"),
        (request(changing: [("Sec-WebSocket-Extensions", "foo; =1")]), 400, "Sec-WebSocket-Extensions"),
        (request(changing: [("Sec-WebSocket-Version", "")]), 426, "no Sec-WebSocket-Version"),
        (request(changing: [("Sec-WebSocket-Version", "8")]), 426, "Sec-WebSocket-Version 8"),
    ])
    func rejectsBadRequests(head: HTTPRequestHead, status: Int, explanation: String) {
        guard case .failure(let rejection) = RFC6455Handshake.validateClientRequest(head) else {
            Issue.record("request was accepted")
            return
        }
        #expect(rejection.status == status)
        #expect(rejection.explanation.contains(explanation), "\(rejection.explanation)")
        #expect(rejection.responseHead.statusCode == status)
    }

    @Test func rejectsDuplicateHosts() {
        var head = Self.request()
        head.headers.add(name: "host", value: "other.example.com")
        guard case .failure(let rejection) = RFC6455Handshake.validateClientRequest(head) else {
            Issue.record("request was accepted")
            return
        }
        #expect(rejection.explanation.contains("2 Host headers"))
    }

    @Test func versionRejectionAdvertisesVersion13() {
        guard
            case .failure(let rejection) = RFC6455Handshake.validateClientRequest(
                Self.request(changing: [("Sec-WebSocket-Version", "8")]))
        else {
            Issue.record("request was accepted")
            return
        }
        let head = rejection.responseHead
        #expect(head.statusLine == "HTTP/1.1 426 Upgrade Required")
        #expect(head.headers.first("Sec-WebSocket-Version") == "13")
        #expect(head.headers.first("Content-Length") == String(rejection.responseBody.count))
        #expect(rejection.description.hasPrefix("426 Upgrade Required: this server speaks WebSocket version 13"))
    }

    @Test func methodRejectionAdvertisesGET() {
        guard case .failure(let rejection) = RFC6455Handshake.validateClientRequest(Self.request(method: "PUT")) else {
            Issue.record("request was accepted")
            return
        }
        #expect(rejection.responseHead.headers.first("Allow") == "GET")
    }

    @Test func buildsAServerResponseThatTheClientAccepts() throws {
        let upgrade = try RFC6455Handshake.validateClientRequest(Self.request()).get()
        let offer = ExtensionOffer(name: "permessage-deflate", parameters: [ExtensionParameter(name: "x", value: "1")])
        let response = RFC6455Handshake.makeServerResponse(
            for: upgrade, subprotocol: "chat", extensions: [offer], extraHeaders: ["Server": "wstap"])
        #expect(
            String(decoding: response.serialized(), as: UTF8.self)
                == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; x=1\r\nServer: wstap\r\n\r\n")
        let accepted = try RFC6455Handshake.validateServerResponse(
            HTTPHeadParser.parseResponse(response.serialized()), key: Self.sampleKey,
            requestedSubprotocols: ["superchat", "chat"], offeredExtensions: ["Permessage-Deflate"])
        #expect(accepted.subprotocol == "chat")
        #expect(accepted.extensions == [offer])
    }
}
