public import NIOCore

extension SocketAddress {
    /// `127.0.0.1:9001` or `[::1]:9001`; the path for a Unix socket.
    public var hostAndPortText: String {
        switch self {
        case .v4:
            return "\(ipAddress ?? "?"):\(port ?? 0)"
        case .v6:
            return "[\(ipAddress ?? "?")]:\(port ?? 0)"
        case .unixDomainSocket:
            return pathname ?? "unix"
        }
    }
}
