import Testing
import WSTapCore

@Suite("SubprotocolList")
struct SubprotocolListTests {
    @Test func parsesTokensAcrossFields() throws {
        let headers: HTTPHeaderFields = [
            "Sec-WebSocket-Protocol": "chat, superchat",
            "sec-websocket-protocol": " ,v2.json.example ,",
        ]
        #expect(try SubprotocolList.parse(headers) == ["chat", "superchat", "v2.json.example"])
        #expect(try SubprotocolList.parse(HTTPHeaderFields()) == [])
    }

    @Test func rejectsNonTokensWithTheirOffset() {
        let error = #expect(throws: HeaderValueError.self) {
            try SubprotocolList.parse(values: ["chat", "ok, bad/name"])
        }
        #expect(error?.occurrence == 2)
        #expect(error?.offset == 7)
        #expect(error?.description.contains("at offset 7, found \"/name\"") == true)
    }

    @Test func serializes() {
        #expect(SubprotocolList.headerValue(for: ["a", "b"]) == "a, b")
        #expect(SubprotocolList.isValidName("mqtt"))
        #expect(!SubprotocolList.isValidName("two words"))
        #expect(!SubprotocolList.isValidName(""))
    }
}
