/// How a forward proxy intercepts and relays: the CA that signs a certificate per intercepted host, the
/// hosts left alone, and how each WebSocket connection is relayed and reported.
public struct ForwardProxyOptions: Sendable {
    /// How each WebSocket connection is relayed, tapped and reported: trust for TLS servers (`upstreamTLS`),
    /// framing, capture limit, handshake timeout, the event sink. Its `upstream` is not used: every request
    /// names its own server.
    public var relay: ProxyOptions
    /// Signs a certificate for every host whose TLS is intercepted.
    public var certificateAuthority: CertificateAuthority
    /// CONNECT tunnels to matching hosts are relayed untouched: no TLS interception, nothing decoded.
    public var passThrough: [HostPattern]

    /// Options that relay with `relay`, sign with `certificateAuthority` and intercept every host not in
    /// `passThrough`.
    public init(relay: ProxyOptions, certificateAuthority: CertificateAuthority, passThrough: [HostPattern] = []) {
        self.relay = relay
        self.certificateAuthority = certificateAuthority
        self.passThrough = passThrough
    }
}
