import Testing
import WSTapCore

@Suite("HandshakeVariant")
struct HandshakeVariantTests {
    static let cases: [(HTTPHeaderFields, HandshakeVariant)] = [
        (["Sec-WebSocket-Key": "k"], .rfc6455),
        (["sec-websocket-key1": "1 a", "Sec-WebSocket-Key2": "2 b"], .hybi00),
        (["Sec-WebSocket-Key1": "1 a", "Sec-WebSocket-Key2": "2 b", "Sec-WebSocket-Key": "k"], .rfc6455),
        (["Sec-WebSocket-Key1": "1 a"], .notWebSocket),
        (["Host": "example.com", "Upgrade": "h2c"], .notWebSocket),
    ]

    @Test(arguments: cases)
    func detects(headers: HTTPHeaderFields, variant: HandshakeVariant) {
        #expect(HandshakeVariant.detect(HTTPRequestHead(method: "GET", target: "/", headers: headers)) == variant)
    }
}
