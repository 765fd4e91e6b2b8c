/// The parameters of the permessage-deflate extension (RFC 7692 section 7.1), as one offer or one response
/// carries them.
///
/// The same type describes a client's offer, a server's response and the parameters both ends agreed on
/// (the response). Window bits are the base-2 logarithm of the LZ77 window, 8 to 15; absent means 15.
///
/// zlib's raw DEFLATE cannot compress with a 256-byte window, so a compressor asked for 8 window bits uses 9
/// (as other zlib-based implementations do); a decompressor can always inflate with a larger window than the
/// sender used, so it inflates 8 with 9 as well. See ``effectiveWindowBits(_:)``.
public struct PerMessageDeflateParameters: Hashable, Sendable {
    /// The extension token, `permessage-deflate`.
    public static let extensionName = "permessage-deflate"
    /// The smallest window bits the RFC allows.
    public static let minWindowBits = 8
    /// The largest window bits the RFC allows, and the value when none is given.
    public static let maxWindowBits = 15

    /// What `client_max_window_bits` says.
    public enum ClientWindowBits: Hashable, Sendable {
        /// The parameter is absent: the client's window is up to 15 bits, and in an offer the server may not
        /// limit it.
        case absent
        /// The parameter without a value (offers only): the client lets the server choose a limit.
        case supported
        /// The parameter with a value 8-15: the client's window is at most this many bits.
        case limit(Int)

        /// The limit the parameter sets on the client's window (15 when it sets none).
        public var windowBits: Int {
            if case .limit(let bits) = self { return bits }
            return PerMessageDeflateParameters.maxWindowBits
        }
    }

    /// `server_no_context_takeover`: the server resets its compressor after each message.
    public var serverNoContextTakeover: Bool
    /// `client_no_context_takeover`: the client resets its compressor after each message.
    public var clientNoContextTakeover: Bool
    /// `server_max_window_bits`: the largest window the server compresses with, 8-15, or `nil` when absent.
    public var serverMaxWindowBits: Int?
    /// `client_max_window_bits`.
    public var clientMaxWindowBits: ClientWindowBits

    /// Creates parameters; every one absent by default (the plain `permessage-deflate` offer).
    public init(
        serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false, serverMaxWindowBits: Int? = nil,
        clientMaxWindowBits: ClientWindowBits = .absent
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// Reads and checks the parameters of one `permessage-deflate` offer or response (RFC 7692 section 7.1):
    /// every parameter must be one of the four the RFC defines, none may repeat, the two `no_context_takeover`
    /// parameters take no value, `server_max_window_bits` needs a value and window bits are 8-15 in decimal
    /// without leading zeros.
    ///
    /// - Throws: ``PerMessageDeflateNegotiationError`` for another extension's name or the first bad parameter.
    public init(parsing offer: ExtensionOffer) throws(PerMessageDeflateNegotiationError) {
        guard offer.name.lowercased() == Self.extensionName else {
            throw PerMessageDeflateNegotiationError(.notPerMessageDeflate(name: offer.name))
        }
        self.init()
        var seen: Set<String> = []
        for parameter in offer.parameters {
            let name = parameter.name.lowercased()
            guard !seen.contains(name) else {
                throw PerMessageDeflateNegotiationError(.duplicateParameter(name: parameter.name))
            }
            seen.insert(name)
            switch name {
            case "server_no_context_takeover", "client_no_context_takeover":
                if let value = parameter.value {
                    throw PerMessageDeflateNegotiationError(.unexpectedValue(name: parameter.name, value: value))
                }
                if name == "server_no_context_takeover" {
                    serverNoContextTakeover = true
                } else {
                    clientNoContextTakeover = true
                }
            case "server_max_window_bits":
                guard let value = parameter.value else {
                    throw PerMessageDeflateNegotiationError(.missingValue(name: parameter.name))
                }
                serverMaxWindowBits = try Self.windowBits(value, parameter: parameter.name)
            case "client_max_window_bits":
                if let value = parameter.value {
                    clientMaxWindowBits = .limit(try Self.windowBits(value, parameter: parameter.name))
                } else {
                    clientMaxWindowBits = .supported
                }
            default:
                throw PerMessageDeflateNegotiationError(.unknownParameter(name: parameter.name))
            }
        }
    }

    /// The parameters as an extension element for a `Sec-WebSocket-Extensions` header, in the RFC's order.
    public var extensionOffer: ExtensionOffer {
        var parameters: [ExtensionParameter] = []
        if serverNoContextTakeover {
            parameters.append(ExtensionParameter(name: "server_no_context_takeover"))
        }
        if clientNoContextTakeover {
            parameters.append(ExtensionParameter(name: "client_no_context_takeover"))
        }
        if let serverMaxWindowBits {
            parameters.append(ExtensionParameter(name: "server_max_window_bits", value: String(serverMaxWindowBits)))
        }
        switch clientMaxWindowBits {
        case .absent:
            break
        case .supported:
            parameters.append(ExtensionParameter(name: "client_max_window_bits"))
        case .limit(let bits):
            parameters.append(ExtensionParameter(name: "client_max_window_bits", value: String(bits)))
        }
        return ExtensionOffer(name: Self.extensionName, parameters: parameters)
    }

    // MARK: - Agreed parameters, per direction

    /// Whether `sender` resets its compressor after every message, so the receiver resets its decompressor
    /// too. Meaningful on agreed parameters (a server's response).
    public func noContextTakeover(sender: EndpointRole) -> Bool {
        sender == .server ? serverNoContextTakeover : clientNoContextTakeover
    }

    /// The largest window `sender` compresses with, 8-15 (15 when the agreement sets none). Meaningful on agreed
    /// parameters (a server's response).
    public func maxWindowBits(sender: EndpointRole) -> Int {
        switch sender {
        case .server: serverMaxWindowBits ?? Self.maxWindowBits
        case .client: clientMaxWindowBits.windowBits
        }
    }

    /// The window bits zlib is given for `bits`: 9 for 8, which raw DEFLATE in zlib does not support, otherwise
    /// `bits` itself, clamped to 9-15.
    public static func effectiveWindowBits(_ bits: Int) -> Int {
        min(max(bits, 9), maxWindowBits)
    }

    // MARK: - Pieces

    /// Reads `1*DIGIT` without leading zeros and checks the range 8-15 (RFC 7692 sections 7.1.2.1 and 7.1.2.2).
    private static func windowBits(
        _ value: String, parameter: String
    ) throws(PerMessageDeflateNegotiationError) -> Int {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            !value.hasPrefix("0"), value.utf8.count <= 2, let bits = Int(value),
            (minWindowBits...maxWindowBits).contains(bits)
        else {
            throw PerMessageDeflateNegotiationError(.invalidWindowBits(name: parameter, value: value))
        }
        return bits
    }
}
