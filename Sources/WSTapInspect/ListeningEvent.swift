public import WSTapCore

/// A proxy or server is ready: where it listens and what it does, as the first line it prints (text, or a
/// `listening` event of docs/json-events.md with `--jsonl`).
public struct ListeningEvent: Sendable {
    /// What listens.
    public enum Mode: String, Sendable {
        case reverseProxy = "reverse-proxy"
        case forwardProxy = "forward-proxy"
        case server
    }

    /// Which kind of listener it is: a reverse proxy, a forward proxy or a server.
    public var mode: Mode
    /// `host:port`.
    public var address: String
    /// The reverse proxy's server (`ws://host:port/prefix`).
    public var upstream: String?
    /// The forward proxy's CA certificate, which clients must trust, and whether it was just made.
    public var caCertificate: String?
    /// Whether the forward proxy's CA was made on this start (so clients do not trust it yet).
    public var caCreated: Bool
    /// The control socket (`--control`), if any.
    public var control: String?
    /// When it started listening.
    public var at: TrafficTimestamp

    /// A listener of this kind at `address`; the fields that do not apply to it stay `nil` (or false).
    public init(
        mode: Mode, address: String, upstream: String? = nil, caCertificate: String? = nil, caCreated: Bool = false,
        control: String? = nil, at: TrafficTimestamp
    ) {
        self.mode = mode
        self.address = address
        self.upstream = upstream
        self.caCertificate = caCertificate
        self.caCreated = caCreated
        self.control = control
        self.at = at
    }

    /// The text line: `listening on 127.0.0.1:8080 → ws://127.0.0.1:9001`, `listening on 127.0.0.1:8080
    /// (forward proxy; clients must trust PATH)`, `listening on 127.0.0.1:9001`.
    public var line: String {
        switch mode {
        case .reverseProxy:
            return "listening on \(address) → \(upstream ?? "?")"
        case .forwardProxy:
            let made = caCreated ? "made a new CA; " : ""
            return "listening on \(address) (forward proxy; \(made)clients must trust \(caCertificate ?? "?"))"
        case .server:
            return "listening on \(address)"
        }
    }
}
