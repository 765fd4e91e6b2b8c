/// Where a request to the forward proxy goes: the server's host and port, whether the proxy speaks TLS to
/// it, and the request target to send it in origin-form (`/path?query`).
struct ForwardDestination: Hashable, Sendable {
    /// The host, without brackets for IPv6 literals.
    var host: String
    var port: Int
    /// TLS to the server (`https`, `wss`, or a request inside an intercepted TLS tunnel).
    var isSecure: Bool
    /// The path and query, as sent to the server.
    var originForm: String

    /// `host` and `port` as an authority: `example.com:443`, `[::1]:8080`.
    var authority: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// The `Host` header the server expects: the port is left out when it is the scheme's default.
    var hostHeader: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port == (isSecure ? 443 : 80) ? shownHost : "\(shownHost):\(port)"
    }

    /// The WebSocket URL of the server (path `/`: the request carries its own target).
    var webSocketURLText: String {
        (isSecure ? "wss://" : "ws://") + hostHeader + "/"
    }

    /// Parses an absolute-form target (RFC 9112 3.2.2): `http://`, `ws://` (plain) or `https://`, `wss://`
    /// (TLS), an authority with an optional port, then an optional path and query.
    static func parseAbsoluteForm(_ target: String) throws(ForwardRequestError) -> ForwardDestination {
        let lowered = target.lowercased()
        let schemes: [(prefix: String, secure: Bool)] = [
            ("http://", false), ("ws://", false), ("https://", true), ("wss://", true),
        ]
        guard let scheme = schemes.first(where: { lowered.hasPrefix($0.prefix) }) else {
            throw ForwardRequestError(
                "request target '\(target)' is not an absolute URL (http://, https://, ws:// or wss://); "
                    + "a forward proxy needs GET http://host/path or CONNECT host:port")
        }
        let rest = target.dropFirst(scheme.prefix.count)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let (host, port) = try parseAuthority(
            String(rest[..<authorityEnd]), defaultPort: scheme.secure ? 443 : 80, in: target)
        var path = rest[authorityEnd...]
        if let hash = path.firstIndex(of: "#") { path = path[..<hash] }
        let originForm = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
        return ForwardDestination(host: host, port: port, isSecure: scheme.secure, originForm: originForm)
    }

    /// Parses a CONNECT target (RFC 9110 9.3.6): `host:port`, the port required.
    static func parseConnectTarget(_ target: String) throws(ForwardRequestError) -> (host: String, port: Int) {
        try parseAuthority(target, defaultPort: nil, in: target)
    }

    /// `host[:port]` or `[v6]:port`, with any `user@` dropped; the port must be 1-65535.
    private static func parseAuthority(
        _ authority: String, defaultPort: Int?, in target: String
    ) throws(ForwardRequestError) -> (host: String, port: Int) {
        var text = Substring(authority)
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        var hostPart = text
        var portPart: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ForwardRequestError("'\(target)': an IPv6 address needs a closing ]")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") {
                portPart = after.dropFirst()
            } else if !after.isEmpty {
                throw ForwardRequestError("'\(target)': unexpected '\(after)' after the IPv6 address")
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw ForwardRequestError("'\(target)' names no host") }
        guard hostPart.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" }) else {
            throw ForwardRequestError("'\(target)': '\(hostPart)' is not a host name or address")
        }
        let port: Int
        if let portPart {
            guard let value = Int(portPart), (1...65535).contains(value) else {
                throw ForwardRequestError("'\(target)': port '\(portPart)' is not a number 1-65535")
            }
            port = value
        } else if let defaultPort {
            port = defaultPort
        } else {
            throw ForwardRequestError("'\(target)': CONNECT needs host:port")
        }
        return (String(hostPart), port)
    }
}
