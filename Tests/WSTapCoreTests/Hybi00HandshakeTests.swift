import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite("Hybi00Handshake")
struct Hybi00HandshakeTests {
    static let key1 = "4 @1  46546xW%0l 1 5"
    static let key2 = "12998 5 Y3 1  .P00"
    static let key3 = Array("^n:ds[4U".utf8)
    static let answer = Array("8jKS'y:G*Co,Wxa-".utf8)

    /// The draft's sample request, with the given headers changed (an empty value removes one).
    static func request(method: String = "GET", changing changes: [(String, String)] = []) -> HTTPRequestHead {
        var headers: HTTPHeaderFields = [
            "Host": "example.com",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key2": key2,
            "Sec-WebSocket-Protocol": "sample",
            "Upgrade": "WebSocket",
            "Sec-WebSocket-Key1": key1,
            "Origin": "http://example.com",
        ]
        for (name, value) in changes {
            if value.isEmpty {
                headers.remove(name: name)
            } else {
                headers.replaceOrAdd(name: name, value: value)
            }
        }
        return HTTPRequestHead(method: method, target: "/demo", headers: headers)
    }

    @Test func computesTheDraftSampleAnswer() throws {
        #expect(try Hybi00Handshake.keyNumber(Self.key1) == 829_309_203)
        #expect(try Hybi00Handshake.keyNumber(Self.key2) == 259_970_620)
        #expect(try Hybi00Handshake.answer(key1: Self.key1, key2: Self.key2, key3: Self.key3) == Self.answer)
    }

    @Test(arguments: [
        ("123", Hybi00KeyError.noSpaces(key: "123")),
        (" a b ", .noDigits(key: " a b ")),
        ("1 2 3", .notMultipleOfSpaces(key: "1 2 3", number: 123, spaces: 2)),
        ("4294967296 ", .numberTooLarge(key: "4294967296 ", digits: "4294967296")),
        (
            "99999999999999999999999 ",
            .numberTooLarge(key: "99999999999999999999999 ", digits: "99999999999999999999999")
        ),
    ])
    func rejectsBadKeys(key: String, expected: Hybi00KeyError) {
        let error = #expect(throws: Hybi00KeyError.self) { try Hybi00Handshake.keyNumber(key) }
        #expect(error == expected)
    }

    @Test func acceptsTheLargestNumber() throws {
        #expect(try Hybi00Handshake.keyNumber("4294967295 ") == UInt32.max)
        #expect(try Hybi00Handshake.keyNumber(" 0 ") == 0)
    }

    @Test func rejectsAShortThirdKey() {
        let error = #expect(throws: Hybi00KeyError.self) {
            try Hybi00Handshake.answer(key1: Self.key1, key2: Self.key2, key3: [1, 2, 3])
        }
        #expect(error == .wrongKey3Length(3))
        #expect(error?.description == "the hybi-00 third key has 3 bytes but must have 8")
    }

    @Test func generatedKeysParseBackToTheirNumbers() throws {
        var generator = FuzzRandom(seed: 76)
        for _ in 0..<500 {
            let keys = Hybi00Handshake.makeClientKeys(using: &generator)
            #expect(try Hybi00Handshake.keyNumber(keys.key1) == keys.number1)
            #expect(try Hybi00Handshake.keyNumber(keys.key2) == keys.number2)
            #expect(keys.key3.count == 8)
            for key in [keys.key1, keys.key2] {
                #expect(key.first != " " && key.last != " ")
                #expect(key.utf8.allSatisfy { (0x20...0x7E).contains($0) })
                #expect(key.utf8.contains { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) && $0 != 0x20 })
            }
            let reread = try Hybi00ClientKeys(key1: keys.key1, key2: keys.key2, key3: keys.key3)
            #expect(reread == keys)
        }
    }

    /// A parsed request's keys are read after the one space that follows the colon, so a trailing space (and any
    /// further leading one) counts: "12 34 " has 2 spaces (617), where trimmed it would have 1 (1234).
    @Test func keysKeepTheirTrailingAndExtraLeadingSpaces() throws {
        let wire =
            "GET /demo HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\nUpgrade: WebSocket\r\n"
            + "Sec-WebSocket-Key1: 12 34 \r\nSec-WebSocket-Key2:  5 6 7\r\n\r\n"
        let head = try HTTPHeadParser.parseRequest(Array(wire.utf8))
        #expect(Hybi00Handshake.keyTexts("Sec-WebSocket-Key1", in: head.headers) == ["12 34 "])
        #expect(Hybi00Handshake.keyTexts("Sec-WebSocket-Key2", in: head.headers) == [" 5 6 7"])
        let request = try Hybi00Handshake.validateClientRequest(head, body: Self.key3).get()
        let expected = try Hybi00Handshake.answer(number1: 617, number2: 567 / 3, key3: Self.key3)
        #expect(request.answer == expected)
        // Re-serialized (as a proxy does after changing Host), the head keeps every key byte.
        var passedOn = head
        passedOn.headers.replaceOrAdd(name: "Host", value: "upstream.example")
        let text = String(decoding: passedOn.serialized(), as: UTF8.self)
        #expect(text.contains("Sec-WebSocket-Key1: 12 34 \r\nSec-WebSocket-Key2:  5 6 7\r\n"))
        #expect(text.contains("Host: upstream.example\r\n"))
        let reparsed = try HTTPHeadParser.parseRequest(passedOn.serialized())
        #expect(try Hybi00Handshake.validateClientRequest(reparsed, body: Self.key3).get().answer == expected)
    }

    @Test func fullHandshakeRoundTrip() throws {
        let keys = try Hybi00ClientKeys(key1: Self.key1, key2: Self.key2, key3: Self.key3)
        let (head, body) = Hybi00Handshake.makeClientRequest(
            host: "example.com", path: "/demo", origin: "http://example.com", subprotocol: "sample", keys: keys)
        #expect(body == Self.key3)
        #expect(HandshakeVariant.detect(head) == .hybi00)
        let wire = head.serialized() + body
        let length = try #require(try HTTPHeadParser.headLength(in: wire))
        let parsed = try HTTPHeadParser.parseRequest(wire)

        let request = try Hybi00Handshake.validateClientRequest(parsed, body: Array(wire[length...])).get()
        #expect(request.answer == Self.answer)
        #expect(request.origin == "http://example.com")
        #expect(request.subprotocol == "sample")
        #expect(request.location(secure: false) == "ws://example.com/demo")
        #expect(request.location(secure: true) == "wss://example.com/demo")

        let (response, answer) = Hybi00Handshake.makeServerResponse(
            for: request, location: request.location(secure: false), subprotocol: "sample")
        #expect(
            String(decoding: response.serialized(), as: UTF8.self)
                == "HTTP/1.1 101 WebSocket Protocol Handshake\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Origin: http://example.com\r\nSec-WebSocket-Location: ws://example.com/demo\r\n"
                + "Sec-WebSocket-Protocol: sample\r\n\r\n")
        #expect(answer == Self.answer)
        let accepted = try Hybi00Handshake.validateServerResponse(
            response, body: answer, expectedAnswer: keys.expectedAnswer, expectedOrigin: "http://example.com",
            expectedLocation: "ws://example.com/demo", requestedSubprotocol: "sample")
        #expect(accepted.location == "ws://example.com/demo")
        #expect(accepted.subprotocol == "sample")
    }

    @Test(arguments: [
        (request(method: "POST"), [UInt8]("^n:ds[4U".utf8), 405, "must use GET"),
        (request(changing: [("Upgrade", "")]), [UInt8]("^n:ds[4U".utf8), 400, "must list WebSocket"),
        (request(changing: [("Connection", "close")]), [UInt8]("^n:ds[4U".utf8), 400, "must list Upgrade"),
        (request(changing: [("Host", "")]), [UInt8]("^n:ds[4U".utf8), 400, "no Host"),
        (request(changing: [("Sec-WebSocket-Key2", "")]), [UInt8]("^n:ds[4U".utf8), 400, "0 Sec-WebSocket-Key2"),
        (request(changing: [("Sec-WebSocket-Key1", "1 2 3")]), [UInt8]("^n:ds[4U".utf8), 400, "not a multiple"),
        (request(), [UInt8]("^n:ds".utf8), 400, "8 key bytes, not 5"),
    ])
    func rejectsBadRequests(head: HTTPRequestHead, body: [UInt8], status: Int, explanation: String) {
        guard case .failure(let rejection) = Hybi00Handshake.validateClientRequest(head, body: body) else {
            Issue.record("request was accepted")
            return
        }
        #expect(rejection.status == status)
        #expect(rejection.explanation.contains(explanation), "\(rejection.explanation)")
    }

    static func response(status: Int = 101, changing changes: [(String, String)] = []) -> HTTPResponseHead {
        var headers: HTTPHeaderFields = [
            "Upgrade": "WebSocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Origin": "http://example.com",
            "Sec-WebSocket-Location": "ws://example.com/demo",
        ]
        for (name, value) in changes {
            if value.isEmpty {
                headers.remove(name: name)
            } else {
                headers.replaceOrAdd(name: name, value: value)
            }
        }
        return HTTPResponseHead(statusCode: status, reason: "WebSocket Protocol Handshake", headers: headers)
    }

    @Test(arguments: [
        (
            response(status: 400), answer,
            HandshakeError.unexpectedStatus(code: 400, reason: "WebSocket Protocol Handshake")
        ),
        (response(changing: [("Upgrade", "")]), answer, .missingUpgradeToken(found: nil)),
        (response(changing: [("Connection", "")]), answer, .missingConnectionToken(found: nil)),
        (response(changing: [("Sec-WebSocket-Location", "")]), answer, .missingHeader("Sec-WebSocket-Location")),
        (response(changing: [("Sec-WebSocket-Origin", "")]), answer, .missingHeader("Sec-WebSocket-Origin")),
        (
            response(changing: [("Sec-WebSocket-Origin", "http://evil.example")]), answer,
            .headerMismatch(name: "Sec-WebSocket-Origin", expected: "http://example.com", got: "http://evil.example")
        ),
        (
            response(changing: [("Sec-WebSocket-Location", "ws://other/")]), answer,
            .headerMismatch(name: "Sec-WebSocket-Location", expected: "ws://example.com/demo", got: "ws://other/")
        ),
        (
            response(changing: [("Sec-WebSocket-Protocol", "other")]), answer,
            .unrequestedSubprotocol("other", requested: [])
        ),
        (response(), Array(answer.prefix(15)), .bodyLength(expected: 16, got: 15)),
        (
            response(), [UInt8](repeating: 0, count: 16),
            .answerMismatch(expected: answer, got: [UInt8](repeating: 0, count: 16))
        ),
    ])
    func rejectsBadResponses(head: HTTPResponseHead, body: [UInt8], expected: HandshakeError) {
        let error = #expect(throws: HandshakeError.self) {
            try Hybi00Handshake.validateServerResponse(
                head, body: body, expectedAnswer: Self.answer, expectedOrigin: "http://example.com",
                expectedLocation: "ws://example.com/demo")
        }
        #expect(error == expected)
    }

    @Test func describesAnAnswerMismatchInHex() {
        let error = HandshakeError.answerMismatch(expected: [0xAB, 0x01], got: [0x00, 0xFF])
        #expect(error.description == "the server's answer is 00ff but the keys require ab01")
    }
}
