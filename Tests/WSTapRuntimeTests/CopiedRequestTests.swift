import Testing
import WSTapCore
import WSTapRuntime

/// curl's request flags as a WebSocket handshake (`wstap connect -H/-b/-A/-e/-u URL`): which headers go out,
/// which a browser's handshake headers are taken over or replaced, and the errors for what cannot be sent.
@Suite struct CopiedRequestTests {
    private func handshake(_ url: String, headers: [String] = [], _ change: (inout CopiedRequest) -> Void = { _ in })
        throws -> CopiedRequest.Handshake
    {
        var request = CopiedRequest(url: url)
        request.headers = headers
        change(&request)
        return try request.handshake()
    }

    @Test func httpAndHTTPSURLsAreTakenAsWSAndWSS() throws {
        #expect(try handshake("https://example.com/chat?x=1").target.description == "wss://example.com/chat?x=1")
        #expect(try handshake("HTTP://127.0.0.1:8080").target.description == "ws://127.0.0.1:8080/")
        #expect(try handshake("wss://example.com:8443/").target.port == 8443)
        #expect {
            _ = try handshake("ftp://example.com/")
        } throws: { error in
            "\(error)"
                == "'ftp://example.com/' is not a WebSocket URL: it must start with ws://, wss://, http:// or https://"
        }
    }

    @Test func headersKeepTheirOrderAndLoseTheSpaceAroundThem() throws {
        let sent = try handshake(
            "ws://h/", headers: ["X-One: 1", "  Cookie :a=b; c=d ", "X-One:two:three", "Empty;"]
        ).extraHeaders
        #expect(sent.values("X-One") == ["1", "two:three"])
        #expect(sent.first("Cookie") == "a=b; c=d")
        #expect(sent.first("Empty") == "")
    }

    @Test func aNameWithNothingAfterTheColonSendsNoSuchHeaderAsWithCurl() throws {
        let result = try handshake(
            "ws://h/", headers: ["Origin: https://a.example", "X-Gone: 1", "X-Gone:", "Origin:"]
        ) {
            $0.userAgent = "agent"
        }
        #expect(!result.extraHeaders.contains("X-Gone"))
        #expect(result.origin == nil)
        let noAgent = try handshake("ws://h/", headers: ["User-Agent:"]) { $0.userAgent = "agent" }
        #expect(!noAgent.extraHeaders.contains("User-Agent"))
    }

    @Test(arguments: ["no colon", ": no name", "", "Two words: x"])
    func aHeaderWithoutANameIsAnErrorQuotingIt(_ header: String) {
        #expect {
            _ = try handshake("ws://h/", headers: ["Good: 1", header])
        } throws: { error in
            "\(error)" == "-H '\(header)': a header is 'Name: value' (or 'Name;' for an empty value)"
        }
    }

    @Test func aBrowsersHandshakeHeadersAreReplacedByWstapsOwn() throws {
        let result = try handshake(
            "wss://chat.example.com/socket",
            headers: [
                "Host: chat.example.com", "Upgrade: websocket", "Connection: keep-alive, Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
                "Origin: https://chat.example.com", "Sec-WebSocket-Protocol: graphql-transport-ws",
                "Pragma: no-cache",
            ])
        #expect(result.extraHeaders.map(\.name) == ["Sec-WebSocket-Protocol", "Pragma"])
        #expect(result.offersCompression)
        #expect(result.origin == "https://chat.example.com")
        #expect(result.host == nil, "the URL's own host is not an override")
        #expect(result.notes.isEmpty)
    }

    @Test func whatCannotBeSentIsNoted() throws {
        let result = try handshake(
            "ws://h/", headers: ["Sec-WebSocket-Version: 8", "Sec-WebSocket-Extensions: x-webkit-deflate-frame, foo"])
        #expect(!result.offersCompression)
        #expect(
            result.notes == [
                "Sec-WebSocket-Version 8 not sent: wstap speaks version 13 (or --variant hybi00)",
                "extension x-webkit-deflate-frame not offered: wstap speaks only permessage-deflate",
                "extension foo not offered: wstap speaks only permessage-deflate",
            ])
    }

    @Test func anotherHostReplacesTheURLs() throws {
        #expect(try handshake("ws://127.0.0.1:9/", headers: ["Host: app.example"]).host == "app.example")
        #expect(try handshake("ws://127.0.0.1:9/", headers: ["host: 127.0.0.1:9"]).host == nil)
    }

    @Test func cookiesJoinIntoOneHeaderAfterAGivenOne() throws {
        let result = try handshake("ws://h/", headers: ["Cookie: a=1"]) { $0.cookies = ["b=2; c=3", " d=4 "] }
        #expect(result.extraHeaders.values("Cookie") == ["a=1; b=2; c=3; d=4"])
        #expect {
            _ = try handshake("ws://h/") { $0.cookies = ["cookies.txt"] }
        } throws: { error in
            "\(error)".hasPrefix("-b 'cookies.txt': reading cookies from a file is not supported")
        }
    }

    @Test func userAgentRefererAndUserGiveTheirHeadersUnlessAHeaderDoes() throws {
        let result = try handshake("ws://h/") {
            $0.userAgent = "wstap-test/1"
            $0.referer = "https://example.com/page;auto"
            $0.user = "alice:s3cret:x"
        }
        #expect(result.extraHeaders.first("User-Agent") == "wstap-test/1")
        #expect(result.extraHeaders.first("Referer") == "https://example.com/page")
        #expect(result.extraHeaders.first("Authorization") == "Basic " + Base64.encode(Array("alice:s3cret:x".utf8)))
        let given = try handshake("ws://h/", headers: ["user-agent: mine", "Authorization: Bearer t"]) {
            $0.userAgent = "theirs"
            $0.user = "a:b"
        }
        #expect(given.extraHeaders.values("User-Agent") == ["mine"])
        #expect(given.extraHeaders.values("Authorization") == ["Bearer t"])
    }

    @Test func aUserInTheURLIsBasicAuthentication() throws {
        let result = try handshake("https://bob:p%40ss@example.com/ws")
        #expect(result.target.description == "wss://example.com/ws")
        #expect(result.extraHeaders.first("Authorization") == "Basic " + Base64.encode(Array("bob:p@ss".utf8)))
        #expect {
            _ = try handshake("ws://h/") { $0.user = "alice" }
        } throws: { error in
            "\(error)" == "-u 'alice': give 'user:password' (wstap does not ask for the password)"
        }
    }
}
