import Testing
import WSTapCore

@Suite struct WebSocketURLTests {
    @Test func parsesTheParts() throws {
        let url = try WebSocketURL("ws://example.com:8080/chat?room=1")
        #expect(!url.isSecure)
        #expect(url.host == "example.com")
        #expect(url.port == 8080)
        #expect(url.resource == "/chat?room=1")
        #expect(url.path == "/chat")
        #expect(url.hostHeader == "example.com:8080")
        let secure = try WebSocketURL("WSS://[::1]")
        #expect(secure.isSecure && secure.port == 443 && secure.host == "::1" && secure.resource == "/")
        #expect(secure.hostHeader == "[::1]")
        #expect(try WebSocketURL("ws://h?x=1").resource == "/?x=1")
    }

    @Test(arguments: [
        "http://x", "ws://", "ws://h:0", "ws://h:70000", "ws://h:abc/", "ws://h/#frag", "ws://[::1/", "x",
    ])
    func rejectsBadURLs(text: String) {
        #expect(throws: WebSocketURL.ParseError.self) { try WebSocketURL(text) }
        #expect(!WebSocketURL.isWebSocketURL(text))
    }

    @Test func predicates() {
        #expect(WebSocketURL.isWebSocketURL("ws://a/"))
        #expect(WebSocketURL.isSecureWebSocketURL("wss://a/"))
        #expect(!WebSocketURL.isSecureWebSocketURL("ws://a/"))
    }
}
