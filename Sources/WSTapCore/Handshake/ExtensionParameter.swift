/// One parameter of a WebSocket extension offer, such as `client_max_window_bits` or `server_max_window_bits=10`.
public struct ExtensionParameter: Hashable, Sendable {
    /// The parameter name.
    public var name: String
    /// The value after `=`, with quoting and backslash escapes removed; `nil` for a bare name.
    public var value: String?

    /// Creates a parameter.
    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// The parameter as written in a header: `name`, `name=value`, or `name="value"` when the value is not a
    /// token (with `"` and `\` escaped).
    public var headerText: String {
        guard let value else { return name }
        if HTTPSyntax.isToken(value) {
            return "\(name)=\(value)"
        }
        var quoted = "\""
        for character in value {
            if character == "\"" || character == "\\" {
                quoted.append("\\")
            }
            quoted.append(character)
        }
        return "\(name)=\(quoted)\""
    }
}
