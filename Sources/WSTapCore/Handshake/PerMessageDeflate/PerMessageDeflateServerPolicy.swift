/// A server's side of the permessage-deflate negotiation: what it is willing to do, and the choice among a
/// client's offers (RFC 7692 sections 5 and 7.1).
public struct PerMessageDeflateServerPolicy: Hashable, Sendable {
    /// Whether the server resets its compressor after every message (answers `server_no_context_takeover`
    /// even when the client did not ask).
    public var serverNoContextTakeover: Bool
    /// Whether the server requires the client to reset its compressor after every message (answers
    /// `client_no_context_takeover`), so the server keeps no inflate window between messages.
    public var clientNoContextTakeover: Bool
    /// The largest window the server compresses with, 8-15. Below 15 it is answered as
    /// `server_max_window_bits` even when the client did not ask.
    public var serverMaxWindowBits: Int
    /// The largest window the server accepts from the client, 8-15. Below 15 it is answered as
    /// `client_max_window_bits`; an offer without `client_max_window_bits` is then declined, as the server
    /// cannot limit that client.
    public var clientMaxWindowBits: Int

    /// Creates a policy; by default the server keeps context both ways with 15-bit windows.
    public init(
        serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false, serverMaxWindowBits: Int = 15,
        clientMaxWindowBits: Int = 15
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// What the server decided about the client's extension offers.
    public struct Decision: Hashable, Sendable {
        /// The agreed parameters, exactly as sent in the response; `nil` when every offer was declined.
        public var agreed: PerMessageDeflateParameters?
        /// The position of the accepted element in the offer list given to ``negotiate(_:)``.
        public var acceptedIndex: Int?
        /// The permessage-deflate offers that were declined, by position, with the reason.
        public var declined: [DeclinedOffer]

        /// The element to put in the response's `Sec-WebSocket-Extensions`, if any.
        public var response: ExtensionOffer? { agreed?.extensionOffer }
    }

    /// One permessage-deflate offer the server turned down.
    public struct DeclinedOffer: Hashable, Sendable {
        /// Its position in the offer list.
        public var index: Int
        /// Why: the offer is malformed, or the policy cannot meet it.
        public var reason: String
    }

    /// Chooses the first acceptable `permessage-deflate` element of the client's offers (in the client's order
    /// of preference) and builds the response. Elements of other extensions are skipped; malformed
    /// permessage-deflate offers are declined, as RFC 7692 section 7.1 requires.
    public func negotiate(_ offers: [ExtensionOffer]) -> Decision {
        var decision = Decision(agreed: nil, acceptedIndex: nil, declined: [])
        for (index, offer) in offers.enumerated()
        where offer.name.lowercased() == PerMessageDeflateParameters.extensionName {
            do {
                let offered = try PerMessageDeflateParameters(parsing: offer)
                switch respond(to: offered) {
                case .success(let agreed):
                    decision.agreed = agreed
                    decision.acceptedIndex = index
                    return decision
                case .failure(let reason):
                    decision.declined.append(DeclinedOffer(index: index, reason: reason.text))
                }
            } catch {
                decision.declined.append(DeclinedOffer(index: index, reason: error.description))
            }
        }
        return decision
    }

    /// Why an offer is declined.
    private struct Refusal: Error {
        var text: String
    }

    /// The response to one well-formed offer, or why the policy cannot accept it.
    private func respond(to offer: PerMessageDeflateParameters) -> Result<PerMessageDeflateParameters, Refusal> {
        var response = PerMessageDeflateParameters()
        response.serverNoContextTakeover = offer.serverNoContextTakeover || serverNoContextTakeover
        response.clientNoContextTakeover = offer.clientNoContextTakeover || clientNoContextTakeover
        let ownServerBits = Self.clamped(serverMaxWindowBits)
        if let requested = offer.serverMaxWindowBits {
            response.serverMaxWindowBits = min(requested, ownServerBits)
        } else if ownServerBits < PerMessageDeflateParameters.maxWindowBits {
            response.serverMaxWindowBits = ownServerBits
        }
        let ownClientBits = Self.clamped(clientMaxWindowBits)
        switch offer.clientMaxWindowBits {
        case .absent:
            if ownClientBits < PerMessageDeflateParameters.maxWindowBits {
                return .failure(
                    Refusal(
                        text: "the server needs client_max_window_bits=\(ownClientBits) or less, but the offer does "
                            + "not let it limit the client's window"))
            }
        case .supported:
            if ownClientBits < PerMessageDeflateParameters.maxWindowBits {
                response.clientMaxWindowBits = .limit(ownClientBits)
            }
        case .limit(let offered):
            response.clientMaxWindowBits = .limit(min(offered, ownClientBits))
        }
        return .success(response)
    }

    private static func clamped(_ bits: Int) -> Int {
        min(max(bits, PerMessageDeflateParameters.minWindowBits), PerMessageDeflateParameters.maxWindowBits)
    }
}
