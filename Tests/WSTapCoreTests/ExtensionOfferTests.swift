import Testing
import WSTapCore

@Suite("ExtensionOffer")
struct ExtensionOfferTests {
    @Test func parsesOffersWithParameters() throws {
        let offers = try ExtensionOffer.parse(values: [
            "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate"
        ])
        #expect(
            offers == [
                ExtensionOffer(
                    name: "permessage-deflate",
                    parameters: [
                        ExtensionParameter(name: "client_max_window_bits"),
                        ExtensionParameter(name: "server_max_window_bits", value: "10"),
                    ]),
                ExtensionOffer(name: "permessage-deflate"),
            ])
    }

    @Test func decodesQuotedStringsAndEscapes() throws {
        let offers = try ExtensionOffer.parse(values: [#"x-ext;a="10"; b = "1\0" ;c="tok\-en""#])
        #expect(offers.count == 1)
        #expect(offers.first?.parameters.map(\.value) == ["10", "10", "tok-en"])
        #expect(offers.first?.parameters.map(\.name) == ["a", "b", "c"])
    }

    @Test func collectsOffersAcrossFieldsSkippingEmptyElements() throws {
        let headers: HTTPHeaderFields = [
            "Sec-WebSocket-Extensions": "foo, ,",
            "Host": "h",
            "sec-websocket-extensions": ",bar; baz=1",
        ]
        let offers = try ExtensionOffer.parse(headers)
        #expect(offers.map(\.name) == ["foo", "bar"])
        #expect(offers.last?.parameters == [ExtensionParameter(name: "baz", value: "1")])
    }

    @Test(arguments: [
        ("; a", 0, "an extension name was expected"),
        ("foo;", 4, "a parameter name was expected"),
        ("foo; =1", 5, "a parameter name was expected"),
        ("foo; a=", 7, "a parameter value"),
        ("foo; a=\"10", 7, "no closing"),
        ("foo; a=\"1 0\"", 7, "must be a token once unescaped"),
        ("foo; a=\"\"", 7, "must be a token once unescaped"),
        ("foo bar", 4, "a ',' between offers"),
        ("foo; a=1 2", 9, "a ',' between offers"),
        ("fo/o", 2, "a ',' between offers"),
        ("foo; a=\"x\\", 10, "followed by a visible character"),
    ])
    func rejectsMalformedValuesWithPositions(value: String, offset: Int, reason: String) {
        let error = #expect(throws: HeaderValueError.self) { try ExtensionOffer.parse(values: ["ok", value]) }
        #expect(error?.header == "Sec-WebSocket-Extensions")
        #expect(error?.occurrence == 2)
        #expect(error?.offset == offset)
        #expect(error?.reason.contains(reason) == true)
        #expect(error?.description.contains("at offset \(offset)") == true)
    }

    @Test func serializesAndParsesBack() throws {
        let offers = [
            ExtensionOffer(
                name: "permessage-deflate",
                parameters: [
                    ExtensionParameter(name: "client_max_window_bits"), ExtensionParameter(name: "x", value: "15"),
                ]),
            ExtensionOffer(name: "x-other", parameters: [ExtensionParameter(name: "q", value: "a \"b\"")]),
        ]
        let value = ExtensionOffer.headerValue(for: offers)
        #expect(value == #"permessage-deflate; client_max_window_bits; x=15, x-other; q="a \"b\"""#)
        // The first offer is all tokens, so it reads back unchanged.
        #expect(try ExtensionOffer.parse(values: [offers[0].headerText]) == [offers[0]])
    }
}
