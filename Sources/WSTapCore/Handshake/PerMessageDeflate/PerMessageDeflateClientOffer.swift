/// A client's side of the permessage-deflate negotiation: the offer it sends and the check of the server's
/// response (RFC 7692 sections 5 and 7.1).
///
/// ```swift
/// let offer = PerMessageDeflateClientOffer()           // "permessage-deflate; client_max_window_bits"
/// request.headers.add(ExtensionOffer.headerName, offer.headerValue)
/// // ... after the 101:
/// if let agreed = try offer.acceptResponse(ExtensionOffer.parse(response.headers)) { /* compress */ }
/// ```
public struct PerMessageDeflateClientOffer: Hashable, Sendable {
    /// The parameters sent. `clientMaxWindowBits` is `.supported` by default, which lets the server limit the
    /// client's window; a server that answers `client_max_window_bits` when this is `.absent` is refused.
    public var parameters: PerMessageDeflateParameters

    /// Creates the offer `permessage-deflate; client_max_window_bits`, or one with other parameters.
    public init(
        parameters: PerMessageDeflateParameters = PerMessageDeflateParameters(clientMaxWindowBits: .supported)
    ) {
        self.parameters = parameters
    }

    /// The offer as an extension element.
    public var extensionOffer: ExtensionOffer { parameters.extensionOffer }

    /// The offer as a `Sec-WebSocket-Extensions` value.
    public var headerValue: String { extensionOffer.headerText }

    /// Checks the server's `Sec-WebSocket-Extensions` elements and returns the agreed parameters, or `nil` when
    /// the server did not accept permessage-deflate. Other extensions in the list are ignored here.
    ///
    /// - Throws: ``PerMessageDeflateNegotiationError`` when the response breaks RFC 7692 section 7.1; the client
    ///   must then fail the connection.
    public func acceptResponse(
        _ extensions: [ExtensionOffer]
    ) throws(PerMessageDeflateNegotiationError) -> PerMessageDeflateParameters? {
        let answers = extensions.filter { $0.name.lowercased() == PerMessageDeflateParameters.extensionName }
        guard let answer = answers.first else { return nil }
        guard answers.count == 1 else { throw PerMessageDeflateNegotiationError(.repeatedExtension) }
        return try acceptResponse(answer)
    }

    /// Checks one `permessage-deflate` element of the server's response and returns the agreed parameters.
    ///
    /// Besides the syntax (``PerMessageDeflateParameters/init(parsing:)``): `client_max_window_bits` must carry a
    /// value, must have been offered, and may not exceed an offered value; `server_max_window_bits` may not
    /// exceed an offered value; a requested `server_no_context_takeover` or `server_max_window_bits` must be in
    /// the response.
    ///
    /// - Throws: ``PerMessageDeflateNegotiationError`` naming the first problem.
    public func acceptResponse(
        _ response: ExtensionOffer
    ) throws(PerMessageDeflateNegotiationError) -> PerMessageDeflateParameters {
        let answered = try PerMessageDeflateParameters(parsing: response)
        switch answered.clientMaxWindowBits {
        case .absent:
            break
        case .supported:
            throw PerMessageDeflateNegotiationError(.missingValue(name: "client_max_window_bits"))
        case .limit(let bits):
            switch parameters.clientMaxWindowBits {
            case .absent:
                throw PerMessageDeflateNegotiationError(.unofferedClientMaxWindowBits)
            case .supported:
                break
            case .limit(let offered):
                guard bits <= offered else {
                    throw PerMessageDeflateNegotiationError(
                        .windowBitsAboveOffer(name: "client_max_window_bits", offered: offered, answered: bits))
                }
            }
        }
        if let requested = parameters.serverMaxWindowBits {
            guard let bits = answered.serverMaxWindowBits else {
                throw PerMessageDeflateNegotiationError(.missingRequestedParameter(name: "server_max_window_bits"))
            }
            guard bits <= requested else {
                throw PerMessageDeflateNegotiationError(
                    .windowBitsAboveOffer(name: "server_max_window_bits", offered: requested, answered: bits))
            }
        }
        if parameters.serverNoContextTakeover, !answered.serverNoContextTakeover {
            throw PerMessageDeflateNegotiationError(.missingRequestedParameter(name: "server_no_context_takeover"))
        }
        var agreed = answered
        if case .limit(let offered) = parameters.clientMaxWindowBits, case .absent = answered.clientMaxWindowBits {
            // The client promised this limit in its offer; it holds whether or not the server repeats it.
            agreed.clientMaxWindowBits = .limit(offered)
        }
        if parameters.clientNoContextTakeover {
            // Likewise a client that offered client_no_context_takeover keeps to it.
            agreed.clientNoContextTakeover = true
        }
        return agreed
    }
}
