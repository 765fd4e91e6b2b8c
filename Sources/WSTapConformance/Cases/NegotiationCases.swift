import WSTapCore

/// wstap's own category 16, subprotocol and extension negotiation (RFC 6455 4.2.2, RFC 7692 5 and 7.1): no
/// subprotocol chosen unasked, one chosen only among those asked for (in one header or several); an extension
/// wstap made up never agreed to; permessage-deflate offers that break RFC 7692's rules declined, and valid ones
/// answered by the rules. A request that is valid must be accepted; one with an offer that breaks RFC 7692 too,
/// the offer declined (refusing the connection for it is NON-STRICT); one asking only for subprotocols the server
/// does not speak may be refused. After an answer the connection is only closed (an agreed extension could compress what
/// the server sends).
enum NegotiationCases {
    static func negotiation(
        _ id: String, _ name: String, extraLines: [String], subprotocols: [String] = [], extensions: [String] = [],
        answer: Opening.Answer = .accept
    ) -> ConformanceCase {
        ConformanceCase(
            id, name, [.close(code: .normalClosure)], .closeReply(.normalClosure, after: []),
            opening: Opening(
                Opening.lines(adding: extraLines), answer, subprotocols: subprotocols,
                extensions: extensions))
    }

    static func offering(
        _ id: String, _ name: String, _ extensions: [String], answer: Opening.Answer = .accept
    ) -> ConformanceCase {
        negotiation(
            id, name, extraLines: extensions.map { "Sec-WebSocket-Extensions: \($0)" }, extensions: extensions,
            answer: answer)
    }

    static let cases: [ConformanceCase] = [
        negotiation("16.1.1", "no subprotocol asked for: none chosen", extraLines: []),
        negotiation(
            "16.1.2", "two subprotocols it does not know: none chosen, or one of them",
            extraLines: ["Sec-WebSocket-Protocol: wstap.one, wstap.two"], subprotocols: ["wstap.one", "wstap.two"],
            answer: .acceptOrRefuse),
        negotiation(
            "16.1.3", "subprotocols in two headers",
            extraLines: ["Sec-WebSocket-Protocol: wstap.one", "Sec-WebSocket-Protocol: wstap.two"],
            subprotocols: ["wstap.one", "wstap.two"], answer: .acceptOrRefuse),
        offering("16.2.1", "an extension wstap made up: never agreed to", ["x-wstap-made-up; level=3"]),
        offering(
            "16.2.2", "permessage-deflate with a parameter RFC 7692 does not define: declined",
            ["permessage-deflate; x-wstap-unknown=1"], answer: .declineOffer),
        offering(
            "16.2.3", "permessage-deflate; server_max_window_bits=7 (below 8): declined",
            ["permessage-deflate; server_max_window_bits=7"], answer: .declineOffer),
        offering(
            "16.2.4", "permessage-deflate; client_max_window_bits=16 (above 15): declined",
            ["permessage-deflate; client_max_window_bits=16"], answer: .declineOffer),
        offering(
            "16.2.5", "permessage-deflate with a parameter twice: declined",
            ["permessage-deflate; server_no_context_takeover; server_no_context_takeover"], answer: .declineOffer),
        offering(
            "16.2.6", "an invalid offer, then a valid one: the valid one agreed, or none",
            ["permessage-deflate; x-wstap-unknown=1, permessage-deflate"], answer: .declineOffer),
        offering(
            "16.2.7", "permessage-deflate; client_max_window_bits (no value): answered by the rules",
            ["permessage-deflate; client_max_window_bits"]),
        offering(
            "16.2.8", "permessage-deflate; server_max_window_bits=10: agreed with 10 or less, or declined",
            ["permessage-deflate; server_max_window_bits=10"]),
        offering(
            "16.2.9", "permessage-deflate; server_no_context_takeover: agreed with it, or declined",
            ["permessage-deflate; server_no_context_takeover"]),
        offering(
            "16.2.10", "permessage-deflate offered in two headers", ["permessage-deflate", "x-wstap-made-up"]),
    ]
}
