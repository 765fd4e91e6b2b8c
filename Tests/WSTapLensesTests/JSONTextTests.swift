import Testing
import WSTapLenses

/// The JSON parser the lenses share: RFC 8259, members in order, numbers as written, clear errors.
@Suite struct JSONTextTests {
    @Test func valuesRoundTripToCompactText() throws {
        let text = #"{"b": [1, -2.5e3, 0.10], "a": {"x": null, "y": true}, "s": "q\"\\\n\u00e9\ud83d\ude00"}"#
        let value = try JSONText.parse(text)
        let expected = #"{"b":[1,-2.5e3,0.10],"a":{"x":null,"y":true},"s":"q\"\\\n"# + "é😀\"}"
        #expect(value.json == expected)
    }

    @Test func errorsSayWhatAndWhere() {
        func error(_ text: String) -> String {
            do {
                _ = try JSONText.parse(text)
                return "parsed"
            } catch {
                return error.description
            }
        }
        #expect(error("") == "the text ends where a value should start at byte 0")
        #expect(error("[1,]") == "unexpected character ']' at byte 3")
        #expect(error("{\"a\" 1}") == "expected ':' after a member name at byte 5")
        #expect(error("01") == "unexpected text after the JSON value at byte 1")
        #expect(error("\"\u{01}\"") == "a control character inside a string at byte 1")
        #expect(error(String(repeating: "[", count: 200)).hasPrefix("nested deeper than 128"))
        #expect(error("[1] x") == "unexpected text after the JSON value at byte 4")
    }

    @Test func invalidUTF8InAStringIsAnError() {
        #expect(throws: JSONText.ParseError.self) { try JSONText.parse([0x22, 0xFF, 0x22]) }
    }
}
