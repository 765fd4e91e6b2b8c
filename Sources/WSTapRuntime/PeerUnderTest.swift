public import WSTapCore
public import WSTapNetwork

/// What `wstap conformance` and `wstap fuzz` test: a server at a URL, or a client that connects to where wstap
/// listens.
public struct PeerUnderTest: Sendable {
    /// The server's URL as given (nil when testing a client).
    public var url: String?
    /// Test a client instead: listen here and run a case on each connection it opens.
    public var listen: ListenAddress?
    /// How a `wss://` server's certificate is checked.
    public var tls: ClientTLSOptions

    /// The server at `url`, or (with `listen`) the clients that connect there.
    public init(url: String?, listen: ListenAddress?, tls: ClientTLSOptions = ClientTLSOptions()) {
        self.url = url
        self.listen = listen
        self.tls = tls
    }

    /// The server's URL; when testing a client, `ws://HOST:1/` with the host listened on. A one-line error when
    /// neither or both are given, or the URL is not one (`listenOption` names the option in the message).
    public func serverURL(listenOption: String = "--listen") throws(CommandFailure) -> WebSocketURL {
        switch (url, listen) {
        case (nil, nil):
            throw CommandFailure("give the server's URL (ws://HOST:PORT/PATH), or \(listenOption) HOST:PORT")
        case (.some, .some):
            throw CommandFailure("give either a server's URL or \(listenOption) (to test a client), not both")
        case (.some(let url), nil):
            return try ConformanceCommandRun.parse(url)
        case (nil, .some(let listen)):
            return try ConformanceCommandRun.parse("ws://\(listen.bracketedHost):1/")
        }
    }
}

extension ListenAddress {
    /// The host as it goes into a URL: an IPv6 address in brackets.
    var bracketedHost: String { host.contains(":") ? "[\(host)]" : host }
}
