/// One element of a `Sec-WebSocket-Extensions` header (RFC 6455 section 9.1): an extension name and its
/// parameters, such as `permessage-deflate; client_max_window_bits`.
public struct ExtensionOffer: Hashable, Sendable {
    /// The header name.
    public static let headerName = "Sec-WebSocket-Extensions"

    /// The extension token, such as `permessage-deflate`.
    public var name: String
    /// The parameters in written order.
    public var parameters: [ExtensionParameter]

    /// Creates an offer.
    public init(name: String, parameters: [ExtensionParameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// The offer as written in a header: `name; param; param=value`.
    public var headerText: String {
        ([name] + parameters.map(\.headerText)).joined(separator: "; ")
    }

    /// The header value listing several offers: their `headerText` joined by `, `.
    public static func headerValue(for offers: [ExtensionOffer]) -> String {
        offers.map(\.headerText).joined(separator: ", ")
    }

    /// The offers in every `Sec-WebSocket-Extensions` field of `headers`, in order.
    public static func parse(_ headers: HTTPHeaderFields) throws(HeaderValueError) -> [ExtensionOffer] {
        try parse(values: headers.values(headerName))
    }

    /// The offers in header values, in order; empty list elements are skipped.
    ///
    /// Follows the RFC 6455 section 9.1 grammar: `name *( ";" param [ "=" ( token / quoted-string ) ] )`, with
    /// optional whitespace around the separators. A quoted value must be a token once unescaped.
    ///
    /// - Throws: `HeaderValueError` naming the field and offset of the first problem.
    public static func parse(values: [String]) throws(HeaderValueError) -> [ExtensionOffer] {
        var offers: [ExtensionOffer] = []
        for (index, value) in values.enumerated() {
            var parser = ExtensionOfferParser(value: value, occurrence: index + 1)
            offers += try parser.parseList()
        }
        return offers
    }
}

extension ExtensionOffer: CustomStringConvertible {
    /// The offer as written in a header.
    public var description: String { headerText }
}
