/// A `ws://` or `wss://` URL, taken apart (RFC 6455 section 3).
public struct WebSocketURL: Hashable, Sendable, CustomStringConvertible {
    /// Whether the scheme is `wss` (TLS).
    public var isSecure: Bool
    /// The host, without brackets for IPv6 literals.
    public var host: String
    /// The port: the URL's, or 80 for `ws` and 443 for `wss`.
    public var port: Int
    /// The path and query, as sent in the request line (`/` when empty).
    public var resource: String

    /// Why a string is not a WebSocket URL.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong with the string, quoting it.
        public var description: String
    }

    /// Parses `ws[s]://host[:port][/path][?query]`; a fragment is an error (RFC 6455 3).
    public init(_ string: String) throws(ParseError) {
        let lowered = string.lowercased()
        let rest: Substring
        if lowered.hasPrefix("ws://") {
            isSecure = false
            rest = string.dropFirst(5)
        } else if lowered.hasPrefix("wss://") {
            isSecure = true
            rest = string.dropFirst(6)
        } else {
            throw ParseError(description: "'\(string)' is not a WebSocket URL: it must start with ws:// or wss://")
        }
        if string.contains("#") {
            throw ParseError(description: "'\(string)': a WebSocket URL cannot have a fragment (#...)")
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        var hostPart = authority
        var portPart: Substring? = nil
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ParseError(description: "'\(string)': an IPv6 address needs a closing ]")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portPart = after.dropFirst()
            } else if !after.isEmpty {
                throw ParseError(description: "'\(string)': unexpected '\(after)' after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else {
            throw ParseError(description: "'\(string)' has no host")
        }
        host = String(hostPart)
        if let portPart {
            guard let value = Int(portPart), (1...65535).contains(value) else {
                throw ParseError(description: "'\(string)': port '\(portPart)' is not a number 1-65535")
            }
            port = value
        } else {
            port = isSecure ? 443 : 80
        }
        resource = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
    }

    /// Whether a string is a `ws` or `wss` URL (the original library's `ws-url?`).
    public static func isWebSocketURL(_ string: String) -> Bool {
        (try? WebSocketURL(string)) != nil
    }

    /// Whether a string is a `wss` URL (`wss-url?`).
    public static func isSecureWebSocketURL(_ string: String) -> Bool {
        (try? WebSocketURL(string))?.isSecure == true
    }

    /// The path without the query.
    public var path: String {
        String(resource.prefix(while: { $0 != "?" }))
    }

    /// The `Host` header value: the port appears only when it is not the scheme's default.
    public var hostHeader: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port == (isSecure ? 443 : 80) ? shownHost : "\(shownHost):\(port)"
    }

    /// The URL written back: scheme, `Host` header value (the port only when not the default) and resource.
    public var description: String { (isSecure ? "wss://" : "ws://") + hostHeader + resource }
}
