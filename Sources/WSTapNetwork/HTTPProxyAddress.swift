public import WSTapCore

/// An HTTP proxy a client connects through with `CONNECT` (`--proxy http://[user:pass@]host:port`).
public struct HTTPProxyAddress: Hashable, Sendable, CustomStringConvertible {
    /// The proxy's host name or address.
    public var host: String
    /// Its port.
    public var port: Int
    /// `user:password` for `Proxy-Authorization: Basic`, when the URL has them.
    public var credentials: String?

    /// A proxy at a host and port.
    public init(host: String, port: Int, credentials: String? = nil) {
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// Reads `http://[user:pass@]host[:port][/]` (port 8080 when none is given; `host:port` alone too).
    /// - Throws: ``InputError``-like text naming what is wrong.
    public init(parsing text: String) throws(HandshakeFailure) {
        var rest = Substring(text)
        if rest.lowercased().hasPrefix("http://") {
            rest = rest.dropFirst(7)
        } else if rest.contains("://") {
            throw HandshakeFailure("--proxy \(text): only http:// proxies are supported (CONNECT)")
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        if let at = rest.lastIndex(of: "@") {
            credentials = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        } else {
            credentials = nil
        }
        var hostPart = rest
        var port = 8080
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("]") {
            hostPart = rest[..<colon]
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(number) else {
                throw HandshakeFailure("--proxy \(text): the port is not a number from 1 to 65535")
            }
            port = number
        }
        if hostPart.hasPrefix("["), hostPart.hasSuffix("]") { hostPart = hostPart.dropFirst().dropLast() }
        guard !hostPart.isEmpty, !hostPart.contains("/") else {
            throw HandshakeFailure("--proxy \(text): expected http://HOST:PORT")
        }
        host = String(hostPart)
        self.port = port
    }

    /// `http://host:port` (without the credentials).
    public var description: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// The `CONNECT` request for a target `host:port`.
    func connectRequest(to host: String, port: Int) -> [UInt8] {
        let authority = (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        var text = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let credentials { text += "Proxy-Authorization: Basic \(Base64.encode(Array(credentials.utf8)))\r\n" }
        return Array((text + "\r\n").utf8)
    }
}
