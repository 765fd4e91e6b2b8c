import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite("HTTPHeadParser")
struct HTTPHeadParserTests {
    private static let request = Array(
        "GET /chat?room=1 HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\r\n".utf8)

    @Test func findsTheEndOfAHead() throws {
        #expect(try HTTPHeadParser.headLength(in: Self.request) == Self.request.count)
        #expect(try HTTPHeadParser.headLength(in: Self.request + [1, 2, 3]) == Self.request.count)
        #expect(try HTTPHeadParser.headLength(in: Array("GET / HTTP/1.1\nHost: a\n\nbody".utf8)) == 24)
        #expect(try HTTPHeadParser.headLength(in: Array("GET / HTTP/1.1\r\n\nX".utf8)) == 17)
    }

    @Test func worksOnRawBufferPointers() throws {
        let length = try Self.request.withUnsafeBytes { try HTTPHeadParser.headLength(in: $0) }
        #expect(length == Self.request.count)
    }

    @Test func truncatedHeadsNeedMoreBytes() throws {
        for cut in 0..<Self.request.count {
            #expect(try HTTPHeadParser.headLength(in: Self.request[..<cut]) == nil)
            let error = #expect(throws: HTTPHeadError.self) { try HTTPHeadParser.parseRequest(Self.request[..<cut]) }
            #expect(error?.code == .incomplete)
        }
    }

    @Test func oversizedHeadsAreAnError() throws {
        let big = Array("GET / HTTP/1.1\r\nX: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 100)
        let error = #expect(throws: HTTPHeadError.self) { try HTTPHeadParser.headLength(in: big, limit: 64) }
        #expect(error?.code == .headTooLarge)
        #expect(error?.description.contains("64 bytes") == true)
        // Exactly at the limit is fine.
        #expect(try HTTPHeadParser.headLength(in: Self.request, limit: Self.request.count) == Self.request.count)
        #expect(throws: HTTPHeadError.self) {
            try HTTPHeadParser.parseRequest(Self.request, limit: Self.request.count - 1)
        }
        // The default limit is 64 KiB.
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 70_000)
        #expect(throws: HTTPHeadError.self) { try HTTPHeadParser.headLength(in: huge) }
        #expect(try HTTPHeadParser.headLength(in: huge.prefix(60_000)) == nil)
    }

    @Test func parsesARequest() throws {
        let head = try HTTPHeadParser.parseRequest(Self.request + Array("extra".utf8))
        #expect(head.method == "GET")
        #expect(head.target == "/chat?room=1")
        #expect(head.version == "HTTP/1.1")
        #expect(head.headers.first("host") == "server.example.com")
        #expect(head.rawBytes == Self.request)
    }

    @Test func parsesAResponse() throws {
        let bytes = Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nX-Tab:\tv a l \t\r\n\r\n".utf8)
        let head = try HTTPHeadParser.parseResponse(bytes)
        #expect(head.statusCode == 101)
        #expect(head.reason == "Switching Protocols")
        #expect(head.headers.first("x-tab") == "v a l")
        #expect(head.rawBytes == bytes)
        #expect(try HTTPHeadParser.parseResponse(Array("HTTP/1.0 200\r\n\r\n".utf8)).reason == "")
        #expect(try HTTPHeadParser.parseResponse(Array("HTTP/1.1 404 \r\n\r\n".utf8)).statusCode == 404)
    }

    @Test func allowsUTF8InValues() throws {
        let head = try HTTPHeadParser.parseRequest(Array("GET / HTTP/1.1\r\nX-Name: Zoë\r\n\r\n".utf8))
        #expect(head.headers.first("X-Name") == "Zoë")
    }

    @Test func serializedHeadsRoundTripExactly() throws {
        let request = HTTPRequestHead(
            method: "GET", target: "/a?b=c",
            headers: ["Host": "h", "sec-websocket-KEY": "k", "X-Empty": "", "x-empty": "again"])
        let requestBytes = request.serialized()
        #expect(String(decoding: requestBytes, as: UTF8.self).hasPrefix("GET /a?b=c HTTP/1.1\r\nHost: h\r\n"))
        let parsedRequest = try HTTPHeadParser.parseRequest(requestBytes)
        #expect(parsedRequest == request)
        #expect(parsedRequest.serialized() == requestBytes)
        #expect(parsedRequest.wireBytes == requestBytes)

        let response = HTTPResponseHead(statusCode: 426, reason: "Upgrade Required", headers: ["A": "1"])
        #expect(response.serialized() == Array("HTTP/1.1 426 Upgrade Required\r\nA: 1\r\n\r\n".utf8))
        let parsedResponse = try HTTPHeadParser.parseResponse(response.serialized())
        #expect(parsedResponse == response)
        #expect(parsedResponse.serialized() == response.serialized())
    }

    @Test func rawBytesKeepTheOriginalSpelling() throws {
        let bytes = Array("GET / HTTP/1.1\nhost:   spaced   \n\n".utf8)
        let head = try HTTPHeadParser.parseRequest(bytes)
        #expect(head.rawBytes == bytes)
        #expect(head.wireBytes == bytes)
        // Serialized again (as a proxy does after changing a header), lines end in CRLF and each value keeps the
        // whitespace it had on the wire.
        #expect(head.headers.first("host") == "spaced")
        #expect(head.serialized() == Array("GET / HTTP/1.1\r\nhost:   spaced   \r\n\r\n".utf8))
    }

    @Test(arguments: [
        ("GET /\r\n\r\n", HTTPHeadError.Code.badRequestLine, 1),
        ("GET  / HTTP/1.1\r\n\r\n", .badRequestLine, 1),
        ("G(T / HTTP/1.1\r\n\r\n", .badRequestLine, 1),
        ("GET / HTTP/1.1 extra\r\n\r\n", .badRequestLine, 1),
        ("GET / HTTX/1.1\r\n\r\n", .badVersion, 1),
        ("GET / HTTP/11\r\n\r\n", .badVersion, 1),
        ("GET /\u{E9} HTTP/1.1\r\n\r\n", .nonASCII, 1),
        ("GET /\u{1} HTTP/1.1\r\n\r\n", .controlCharacter, 1),
        ("GET / HTTP/1.1\r\nHost example.com\r\n\r\n", .headerWithoutColon, 2),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", .obsoleteLineFolding, 3),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .whitespaceBeforeColon, 2),
        ("GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", .invalidHeaderName, 2),
        ("GET / HTTP/1.1\r\n: a\r\n\r\n", .invalidHeaderName, 2),
        ("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", .controlCharacter, 2),
        ("GET / HTTP/1.1\r\nA: \u{7F}\r\n\r\n", .controlCharacter, 2),
        ("\r\n\r\n", .emptyHead, 1),
    ])
    func rejectsBadRequests(text: String, code: HTTPHeadError.Code, line: Int) {
        let error = #expect(throws: HTTPHeadError.self) { try HTTPHeadParser.parseRequest(Array(text.utf8)) }
        #expect(error?.code == code)
        #expect(error?.line == line)
    }

    @Test func rejectsInvalidUTF8InAValue() {
        let bytes = Array("GET / HTTP/1.1\r\nA: ".utf8) + [0xC3, 0x28] + Array("\r\n\r\n".utf8)
        let error = #expect(throws: HTTPHeadError.self) { try HTTPHeadParser.parseRequest(bytes) }
        #expect(error?.code == .invalidUTF8)
        #expect(error?.description.contains("\\xC3") == true)
    }

    @Test(arguments: [
        "HTTP/1.1\r\n\r\n", "HTTP/1.1 10\r\n\r\n", "HTTP/1.1 1011 Nope\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n",
        "HTTP/1.1 101Switching\r\n\r\n", "ICY 200 OK\r\n\r\n",
    ])
    func rejectsBadStatusLines(text: String) {
        let error = #expect(throws: HTTPHeadError.self) { try HTTPHeadParser.parseResponse(Array(text.utf8)) }
        #expect([.badStatusLine, .badVersion].contains(error?.code))
        #expect(error?.line == 1)
    }

    @Test func describesErrorsInOneSentence() {
        let text = "GET / HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n"
        let error = #expect(throws: HTTPHeadError.self) { try HTTPHeadParser.parseRequest(Array(text.utf8)) }
        #expect(
            error?.description
                == "header without colon at line 3: found \"No colon here\"; a header line must read name: value.")
    }

    @Test func randomBytesNeverTrap() throws {
        var generator = FuzzRandom(seed: 0x5EED)
        let alphabet = Array("GET HTTP/1.1 :\r\n\t\u{7F}aZ0(".utf8) + [0x00, 0xC3, 0xA9, 0xFF]
        for round in 0..<3000 {
            let length = Int.random(in: 0..<120, using: &generator)
            let bytes: [UInt8] = (0..<length).map { _ in
                round.isMultiple(of: 2)
                    ? UInt8.random(in: .min ... .max, using: &generator)
                    : alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            }
            let limit = Int.random(in: 0..<150, using: &generator)
            _ = try? HTTPHeadParser.headLength(in: bytes, limit: limit)
            if let request = try? HTTPHeadParser.parseRequest(bytes) {
                #expect(try HTTPHeadParser.parseRequest(request.serialized()) == request)
            }
            if let response = try? HTTPHeadParser.parseResponse(bytes) {
                #expect(try HTTPHeadParser.parseResponse(response.serialized()) == response)
            }
        }
    }
}

/// Inputs the fuzzer found (Fuzz/regressions/), kept as tests.
@Suite struct HTTPHeadParserFuzzRegressionTests {
    /// F2: "050" parsed as status 50, which serialized as "50" and no longer parsed.
    @Test func statusCodesBelow100AreRejected() {
        #expect(throws: HTTPHeadError.self) { try HTTPHeadParser.parseResponse(Array("HTTP/1.1 050 X\r\n\r\n".utf8)) }
        #expect((try? HTTPHeadParser.parseResponse(Array("HTTP/1.1 101 OK\r\n\r\n".utf8)))?.statusCode == 101)
    }
}
