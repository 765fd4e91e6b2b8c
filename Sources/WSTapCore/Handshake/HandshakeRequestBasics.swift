/// The checks both handshake variants make on a request before their own: method, version, target, `Host`,
/// `Upgrade` and `Connection`.
struct HandshakeRequestBasics {
    /// The single `Host` value.
    var host: String
    /// The request target split into path and query.
    var target: RequestTarget

    /// Checks the common parts of a handshake request.
    ///
    /// - Parameter upgradeSpelling: how the `Upgrade` token is spelled in messages (`websocket`, `WebSocket`).
    static func check(
        _ head: HTTPRequestHead, upgradeSpelling: String
    ) -> Result<HandshakeRequestBasics, HandshakeRejection> {
        let headers = head.headers
        guard head.method == "GET" else {
            return .failure(
                HandshakeRejection(
                    status: 405, reason: "Method Not Allowed",
                    explanation: "a WebSocket handshake must use GET, not \(head.method).",
                    extraHeaders: ["Allow": "GET"]))
        }
        guard let version = HTTPVersionNumber(head.version), version >= HTTPVersionNumber(major: 1, minor: 1) else {
            return .failure(.badRequest("a WebSocket handshake needs HTTP/1.1 or later, not \(head.version)."))
        }
        guard let target = RequestTarget(head.target) else {
            return .failure(.badRequest("the request target \"\(head.target)\" is neither a path nor an absolute URI."))
        }
        let hosts = headers.values("Host")
        guard hosts.count == 1, let host = hosts.first, !host.isEmpty else {
            let problem =
                hosts.isEmpty
                ? "has no Host header"
                : hosts.count > 1 ? "has \(hosts.count) Host headers" : "has an empty Host header"
            return .failure(.badRequest("the request \(problem); exactly one non-empty Host is required."))
        }
        guard headers.containsToken("websocket", in: "Upgrade") else {
            let found = describe(headers, "Upgrade")
            return .failure(.badRequest("the request's Upgrade header \(found) but must list \(upgradeSpelling)."))
        }
        guard headers.containsToken("upgrade", in: "Connection") else {
            let found = describe(headers, "Connection")
            return .failure(.badRequest("the request's Connection header \(found) but must list Upgrade."))
        }
        return .success(HandshakeRequestBasics(host: host, target: target))
    }

    /// `is "value"` for the joined values of a header, or `is missing`.
    private static func describe(_ headers: HTTPHeaderFields, _ name: String) -> String {
        let values = headers.values(name)
        return values.isEmpty ? "is missing" : "is \"\(values.joined(separator: ", "))\""
    }
}
