/// Why a client refuses a server's handshake response, for both RFC 6455 and hybi-00.
public enum HandshakeError: Error, Hashable, Sendable {
    /// The status is not 101.
    case unexpectedStatus(code: Int, reason: String)
    /// The `Upgrade` header does not name websocket; `found` is its value, `nil` when absent.
    case missingUpgradeToken(found: String?)
    /// The `Connection` header does not list upgrade; `found` is its value, `nil` when absent.
    case missingConnectionToken(found: String?)
    /// A required header is absent.
    case missingHeader(String)
    /// A header that must appear once appears `count` times.
    case duplicateHeader(String, count: Int)
    /// `Sec-WebSocket-Accept` does not match the key.
    case acceptMismatch(expected: String, got: String)
    /// The server chose more than one subprotocol.
    case multipleSubprotocols([String])
    /// The server chose a subprotocol the client did not ask for.
    case unrequestedSubprotocol(String, requested: [String])
    /// A structured header is malformed.
    case malformedHeader(HeaderValueError)
    /// The server accepted an extension the client did not offer.
    case unofferedExtension(String, offered: [String])
    /// A header has another value than the client expects (hybi-00 origin and location).
    case headerMismatch(name: String, expected: String, got: String)
    /// The bytes after the head have the wrong length (hybi-00's 16-byte answer).
    case bodyLength(expected: Int, got: Int)
    /// The hybi-00 answer does not match the keys.
    case answerMismatch(expected: [UInt8], got: [UInt8])
}

extension HandshakeError: CustomStringConvertible {
    /// One sentence saying what was wrong, with the values involved.
    public var description: String {
        switch self {
        case .unexpectedStatus(let code, let reason):
            let phrase = reason.isEmpty ? "" : " \(reason)"
            return "the server answered \(code)\(phrase) instead of 101 Switching Protocols"
        case .missingUpgradeToken(let found):
            return found.map { "the Upgrade header is \"\($0)\" but must name websocket" }
                ?? "the response has no Upgrade header; it must name websocket"
        case .missingConnectionToken(let found):
            return found.map { "the Connection header is \"\($0)\" but must list upgrade" }
                ?? "the response has no Connection header; it must list upgrade"
        case .missingHeader(let name):
            return "the response has no \(name) header"
        case .duplicateHeader(let name, let count):
            return "the response has \(count) \(name) headers but may have only one"
        case .acceptMismatch(let expected, let got):
            return "Sec-WebSocket-Accept is \"\(got)\" but the key requires \"\(expected)\""
        case .multipleSubprotocols(let chosen):
            return "the server chose several subprotocols (\(chosen.joined(separator: ", "))) but may choose one"
        case .unrequestedSubprotocol(let name, let requested):
            let asked = requested.isEmpty ? "none was requested" : "requested: \(requested.joined(separator: ", "))"
            return "the server chose subprotocol \"\(name)\", which was not requested (\(asked))"
        case .malformedHeader(let error):
            return error.description
        case .unofferedExtension(let name, let offered):
            let list = offered.isEmpty ? "none was offered" : "offered: \(offered.joined(separator: ", "))"
            return "the server accepted extension \"\(name)\", which was not offered (\(list))"
        case .headerMismatch(let name, let expected, let got):
            return "\(name) is \"\(got)\" but \"\(expected)\" was expected"
        case .bodyLength(let expected, let got):
            return "the handshake answer has \(got) bytes but must have \(expected)"
        case .answerMismatch(let expected, let got):
            return "the server's answer is \(hex(got)) but the keys require \(hex(expected))"
        }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
