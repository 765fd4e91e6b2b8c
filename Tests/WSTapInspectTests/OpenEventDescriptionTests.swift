import Testing
import WSTapCore
import WSTapInspect

/// The proxy's line and JSON output of an opening show the bytes after each head (hybi-00's key bytes and
/// answer), and say nothing of them when there are none.
@Suite struct OpenEventDescriptionTests {
    static func opened(requestBody: [UInt8], responseBody: [UInt8]) -> TrafficEvent {
        .connectionOpened(
            .init(
                connection: 3, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9/",
                request: HTTPRequestHead(method: "GET", target: "/chat"),
                response: HTTPResponseHead(statusCode: 101, reason: "WebSocket Protocol Handshake"),
                variant: .hybi00, framing: .old, subprotocol: nil, extensions: [],
                at: TrafficTimestamp(wallSeconds: 1, monotonicNanoseconds: 1), requestBody: requestBody,
                responseBody: responseBody))
    }

    static func json(_ event: TrafficEvent) -> String {
        var json = TrafficEventJSON()
        return json.line(event)
    }

    @Test func bodiesAreShownAsHex() {
        let event = Self.opened(requestBody: [0x00, 0x01, 0xFE, 0xFF], responseBody: [0xAB, 0x0C])
        #expect(TrafficEventDescription.line(event).hasSuffix("request-body=0001feff response-body=ab0c"))
        let json = Self.json(event)
        #expect(json.contains(#""requestBodyHex":"0001feff""#), "\(json)")
        #expect(json.contains(#""responseBodyHex":"ab0c""#), "\(json)")
    }

    @Test func noBodiesNoFields() {
        let event = Self.opened(requestBody: [], responseBody: [])
        #expect(!TrafficEventDescription.line(event).contains("body="))
        #expect(!Self.json(event).contains("BodyHex"))
    }
}
