import Testing
import WSTapCore

@Suite("HTTPHeaderFields")
struct HTTPHeaderFieldsTests {
    private let sample: HTTPHeaderFields = [
        "Host": "example.com",
        "connection": "keep-alive, Upgrade",
        "X-Dup": "one",
        "UPGRADE": "websocket",
        "x-dup": " , two ,,three ",
    ]

    @Test func keepsOrderAndSpelling() {
        #expect(sample.map(\.name) == ["Host", "connection", "X-Dup", "UPGRADE", "x-dup"])
        #expect(sample.count == 5)
    }

    @Test func looksUpIgnoringCase() {
        #expect(sample.first("HOST") == "example.com")
        #expect(sample.first("Upgrade") == "websocket")
        #expect(sample.first("Missing") == nil)
        #expect(sample.values("X-DUP") == ["one", " , two ,,three "])
        #expect(sample.contains("CONNECTION"))
        #expect(!sample.contains("Content-Length"))
    }

    @Test func splitsTokensAcrossOccurrences() {
        #expect(sample.tokens("x-dup") == ["one", "two", "three"])
        #expect(sample.tokens("Connection") == ["keep-alive", "Upgrade"])
        #expect(sample.containsToken("upgrade", in: "CONNECTION"))
        #expect(!sample.containsToken("close", in: "Connection"))
        #expect(sample.tokens("Missing").isEmpty)
    }

    @Test func addReplaceRemove() {
        var headers = sample
        headers.add(name: "X-New", value: "1")
        #expect(headers.last == HTTPHeaderFields.Field(name: "X-New", value: "1"))

        headers.replaceOrAdd(name: "X-DUP", value: "only")
        #expect(headers.values("x-dup") == ["only"])
        #expect(headers.map(\.name) == ["Host", "connection", "X-DUP", "UPGRADE", "X-New"])

        headers.replaceOrAdd(name: "Origin", value: "http://a")
        #expect(headers.last?.name == "Origin")

        headers.remove(name: "host")
        #expect(!headers.contains("Host"))
        #expect(headers.count == 5)
    }

    @Test func buildsFromPairs() {
        let headers = HTTPHeaderFields([(name: "A", value: "1"), (name: "a", value: "2")])
        #expect(headers.values("A") == ["1", "2"])
        #expect(headers.description == "A: 1\na: 2")
    }

    /// A parsed field keeps the text after its colon for serializing; changing its value drops it, and equality
    /// looks at names and values only.
    @Test func parsedFieldsKeepTheirWireValue() {
        var field = HTTPHeaderFields.Field(name: "X-Pad", wireValue: "\t padded  ")
        #expect(field.value == "padded")
        #expect(field.serializedValue == "\t padded  ")
        #expect(field == HTTPHeaderFields.Field(name: "X-Pad", value: "padded"))
        #expect(HTTPHeaderFields([field]).wireValues("x-pad") == ["\t padded  "])
        field.value = "changed"
        #expect(field.wireValue == nil)
        #expect(field.serializedValue == " changed")
    }
}
