import Testing
import WSTapCore

@Suite("permessage-deflate negotiation")
struct PerMessageDeflateNegotiationTests {
    private func element(_ text: String) throws -> ExtensionOffer {
        let offers = try ExtensionOffer.parse(values: [text])
        guard let first = offers.first else { throw PerMessageDeflateNegotiationError(.repeatedExtension) }
        return first
    }

    // MARK: Parameters

    @Test func parsesAndWritesEveryParameter() throws {
        let parsed = try PerMessageDeflateParameters(
            parsing: element(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10; server_no_context_takeover; "
                    + "client_no_context_takeover"))
        #expect(
            parsed
                == PerMessageDeflateParameters(
                    serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10,
                    clientMaxWindowBits: .supported))
        #expect(
            parsed.extensionOffer.headerText
                == "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                + "server_max_window_bits=10; client_max_window_bits")
        let quoted = try PerMessageDeflateParameters(
            parsing: element(#"permessage-deflate; client_max_window_bits="9""#))
        #expect(quoted.clientMaxWindowBits == .limit(9))
    }

    @Test(arguments: [
        ("permessage-deflate; foo", PerMessageDeflateNegotiationError.Kind.unknownParameter(name: "foo")),
        (
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            .duplicateParameter(name: "server_no_context_takeover")
        ),
        (
            "permessage-deflate; client_no_context_takeover=1",
            .unexpectedValue(name: "client_no_context_takeover", value: "1")
        ),
        ("permessage-deflate; server_max_window_bits", .missingValue(name: "server_max_window_bits")),
        (
            "permessage-deflate; server_max_window_bits=16",
            .invalidWindowBits(name: "server_max_window_bits", value: "16")
        ),
        (
            "permessage-deflate; server_max_window_bits=7",
            .invalidWindowBits(name: "server_max_window_bits", value: "7")
        ),
        (
            "permessage-deflate; client_max_window_bits=09",
            .invalidWindowBits(name: "client_max_window_bits", value: "09")
        ),
        (
            "permessage-deflate; client_max_window_bits=x",
            .invalidWindowBits(name: "client_max_window_bits", value: "x")
        ),
        ("x-webkit-deflate-frame", .notPerMessageDeflate(name: "x-webkit-deflate-frame")),
    ])
    func refusesMalformedParameters(text: String, kind: PerMessageDeflateNegotiationError.Kind) throws {
        let offer = try element(text)
        #expect(throws: PerMessageDeflateNegotiationError(kind)) {
            _ = try PerMessageDeflateParameters(parsing: offer)
        }
        #expect(!PerMessageDeflateNegotiationError(kind).description.isEmpty)
    }

    @Test func windowBits8IsCompressedWith9() {
        #expect(PerMessageDeflateParameters.effectiveWindowBits(8) == 9)
        #expect(PerMessageDeflateParameters.effectiveWindowBits(12) == 12)
        let agreed = PerMessageDeflateParameters(serverMaxWindowBits: 8, clientMaxWindowBits: .limit(10))
        #expect(agreed.maxWindowBits(sender: .server) == 8)
        #expect(agreed.maxWindowBits(sender: .client) == 10)
        #expect(PerMessageDeflateParameters().maxWindowBits(sender: .client) == 15)
    }

    // MARK: Client

    @Test func clientOffersAndAcceptsAPlainResponse() throws {
        let offer = PerMessageDeflateClientOffer()
        #expect(offer.headerValue == "permessage-deflate; client_max_window_bits")
        let agreed = try offer.acceptResponse([element("permessage-deflate")])
        #expect(agreed == PerMessageDeflateParameters())
        #expect(try offer.acceptResponse([element("x-other")]) == nil)
        let limited = try offer.acceptResponse(element("permessage-deflate; client_max_window_bits=10"))
        #expect(limited.clientMaxWindowBits == .limit(10))
    }

    @Test(arguments: [
        (
            PerMessageDeflateParameters(), "permessage-deflate; client_max_window_bits=10",
            PerMessageDeflateNegotiationError.Kind.unofferedClientMaxWindowBits
        ),
        (
            PerMessageDeflateParameters(clientMaxWindowBits: .supported), "permessage-deflate; client_max_window_bits",
            .missingValue(name: "client_max_window_bits")
        ),
        (
            PerMessageDeflateParameters(clientMaxWindowBits: .limit(10)),
            "permessage-deflate; client_max_window_bits=12",
            .windowBitsAboveOffer(name: "client_max_window_bits", offered: 10, answered: 12)
        ),
        (
            PerMessageDeflateParameters(serverMaxWindowBits: 10), "permessage-deflate; server_max_window_bits=11",
            .windowBitsAboveOffer(name: "server_max_window_bits", offered: 10, answered: 11)
        ),
        (
            PerMessageDeflateParameters(serverMaxWindowBits: 10), "permessage-deflate",
            .missingRequestedParameter(name: "server_max_window_bits")
        ),
        (
            PerMessageDeflateParameters(serverNoContextTakeover: true), "permessage-deflate",
            .missingRequestedParameter(name: "server_no_context_takeover")
        ),
        (PerMessageDeflateParameters(), "permessage-deflate; bogus", .unknownParameter(name: "bogus")),
        (
            PerMessageDeflateParameters(), "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            .duplicateParameter(name: "server_no_context_takeover")
        ),
        (
            PerMessageDeflateParameters(), "permessage-deflate; server_max_window_bits=20",
            .invalidWindowBits(name: "server_max_window_bits", value: "20")
        ),
        (PerMessageDeflateParameters(), "permessage-deflate, permessage-deflate", .repeatedExtension),
    ])
    func clientRefusesABadResponse(
        offered: PerMessageDeflateParameters, response: String, kind: PerMessageDeflateNegotiationError.Kind
    ) throws {
        let offer = PerMessageDeflateClientOffer(parameters: offered)
        let elements = try ExtensionOffer.parse(values: [response])
        #expect(throws: PerMessageDeflateNegotiationError(kind)) {
            _ = try offer.acceptResponse(elements)
        }
    }

    @Test func clientAcceptsWhatTheServerMayAddUnasked() throws {
        let offer = PerMessageDeflateClientOffer(
            parameters: PerMessageDeflateParameters(clientMaxWindowBits: .limit(12)))
        let agreed = try offer.acceptResponse(
            element(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9"))
        #expect(agreed.serverNoContextTakeover && agreed.clientNoContextTakeover)
        #expect(agreed.serverMaxWindowBits == 9)
        // The client keeps to the limit it offered even when the server does not repeat it.
        #expect(agreed.clientMaxWindowBits == .limit(12))
    }

    // MARK: Server

    @Test func serverAcceptsTheFirstAcceptableOffer() throws {
        let offers = try ExtensionOffer.parse(values: [
            "x-foo, permessage-deflate; bogus, permessage-deflate; server_max_window_bits=10; client_max_window_bits, "
                + "permessage-deflate"
        ])
        let decision = PerMessageDeflateServerPolicy().negotiate(offers)
        #expect(decision.acceptedIndex == 2)
        #expect(decision.declined.map(\.index) == [1])
        #expect(decision.response?.headerText == "permessage-deflate; server_max_window_bits=10")
    }

    @Test func serverAppliesItsOwnPolicy() throws {
        let policy = PerMessageDeflateServerPolicy(
            serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 11,
            clientMaxWindowBits: 10)
        let offers = try ExtensionOffer.parse(values: [
            "permessage-deflate, permessage-deflate; client_max_window_bits=12; server_max_window_bits=13"
        ])
        let decision = policy.negotiate(offers)
        #expect(decision.acceptedIndex == 1)
        #expect(decision.declined.first?.reason.contains("client_max_window_bits") == true)
        #expect(
            decision.agreed
                == PerMessageDeflateParameters(
                    serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 11,
                    clientMaxWindowBits: .limit(10)))
        // What the server answers, its client accepts.
        let client = PerMessageDeflateClientOffer(
            parameters: PerMessageDeflateParameters(serverMaxWindowBits: 13, clientMaxWindowBits: .limit(12)))
        let response = try #require(decision.response)
        #expect(try client.acceptResponse(response) == decision.agreed)
    }

    @Test func serverEchoesWhatTheClientAskedFor() throws {
        let offers = try ExtensionOffer.parse(values: [
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits=9"
        ])
        let decision = PerMessageDeflateServerPolicy().negotiate(offers)
        #expect(
            decision.response?.headerText
                == "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits=9"
        )
        let none = PerMessageDeflateServerPolicy().negotiate(
            try ExtensionOffer.parse(values: ["permessage-deflate; x"]))
        #expect(none.agreed == nil && none.response == nil && none.declined.count == 1)
        #expect(PerMessageDeflateServerPolicy().negotiate([]).agreed == nil)
    }
}
