public import Testing
public import WSTapCore

// One-line renderings of heads for Swift Testing's argument listings (their `description` spans lines).

extension HTTPRequestHead: CustomTestStringConvertible {
    /// `GET /path [Name: value | ...]` on one line.
    public var testDescription: String {
        "\(method) \(target) [" + headers.map { "\($0.name): \($0.value)" }.joined(separator: " | ") + "]"
    }
}

extension HTTPResponseHead: CustomTestStringConvertible {
    /// `101 Switching Protocols [Name: value | ...]` on one line.
    public var testDescription: String {
        "\(statusCode) \(reason) [" + headers.map { "\($0.name): \($0.value)" }.joined(separator: " | ") + "]"
    }
}

extension HTTPHeaderFields: CustomTestStringConvertible {
    /// `[Name: value | ...]` on one line.
    public var testDescription: String {
        "[" + map { "\($0.name): \($0.value)" }.joined(separator: " | ") + "]"
    }
}
