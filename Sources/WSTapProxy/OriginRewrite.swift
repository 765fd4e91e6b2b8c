import WSTapCore

/// The `Origin` a reverse proxy sends upstream. A non-browser client sets `Origin` to the address it
/// connected to, the proxy's; once the proxy has set `Host` to the upstream, a server that checks for the
/// same origin (python-socketio does) refuses the pair. Such an `Origin` becomes the upstream's origin; any
/// other `Origin` passes untouched (testers probe origin checks on purpose).
enum OriginRewrite {
    /// The origin to send instead of `origin`, or nil to send it as it is: only when it names the proxy
    /// itself, as the client's `Host` (`clientHost`) or as the address the proxy listens on.
    static func replacement(
        for origin: String, clientHost: String?, listening: (host: String, port: Int)?, upstream: WebSocketURL
    ) -> String? {
        guard let named = authority(ofOrigin: origin) else { return nil }
        var proxyNames: [(host: String, port: Int)] = []
        if let clientHost, let host = authority(clientHost, defaultPort: 80) { proxyNames.append(host) }
        if let listening { proxyNames.append((listening.host.lowercased(), listening.port)) }
        guard proxyNames.contains(where: { $0.host == named.host && $0.port == named.port }) else { return nil }
        let upstreamOrigin = (upstream.isSecure ? "https://" : "http://") + upstream.hostHeader
        return upstreamOrigin == origin ? nil : upstreamOrigin
    }

    /// `http://host:port` → host (lower case, IPv6 without brackets) and port (the scheme's default when
    /// none is given).
    static func authority(ofOrigin origin: String) -> (host: String, port: Int)? {
        guard let separator = origin.firstRange(of: "://") else { return nil }
        let scheme = origin[..<separator.lowerBound].lowercased()
        let defaultPort: Int
        switch scheme {
        case "http", "ws": defaultPort = 80
        case "https", "wss": defaultPort = 443
        default: return nil
        }
        var rest = origin[separator.upperBound...]
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        return authority(String(rest), defaultPort: defaultPort)
    }

    /// `host[:port]` or `[v6]:port` → host and port.
    static func authority(_ text: String, defaultPort: Int) -> (host: String, port: Int)? {
        let text = text.lowercased()
        guard !text.isEmpty, !text.contains("/") else { return nil }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.isEmpty { return (host, defaultPort) }
            guard after.hasPrefix(":"), let port = Int(after.dropFirst()) else { return nil }
            return (host, port)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (text, defaultPort)
        case 2:
            guard let port = Int(parts[1]) else { return nil }
            return (String(parts[0]), port)
        default:
            // A bare IPv6 address (no brackets, no port).
            return (text, defaultPort)
        }
    }
}
