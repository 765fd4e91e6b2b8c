/// A `host:port` to listen on: `127.0.0.1:9001`, `[::1]:9001`, or `:9001` (loopback).
public struct ListenAddress: Sendable, CustomStringConvertible {
    /// The host name or address (`127.0.0.1`, `::1`, `0.0.0.0`).
    public var host: String
    /// The port (0: any free port).
    public var port: Int

    /// The address `host`:`port`.
    public init(host: String, port: Int) {
        (self.host, self.port) = (host, port)
    }

    /// Reads `HOST:PORT`; the error says what form is expected (ArgumentParser prints it after the value).
    public static func parse(_ argument: String) throws(ListenAddressError) -> ListenAddress {
        guard let address = ListenAddress(parsing: argument) else { throw ListenAddressError() }
        return address
    }

    private init?(parsing argument: String) {
        var hostPart: Substring
        let portPart: Substring
        if argument.hasPrefix("["), let close = argument.firstIndex(of: "]") {
            hostPart = argument[argument.index(after: argument.startIndex)..<close]
            let rest = argument[argument.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portPart = rest.dropFirst()
        } else if let colon = argument.lastIndex(of: ":") {
            hostPart = argument[..<colon]
            portPart = argument[argument.index(after: colon)...]
        } else {
            return nil
        }
        if hostPart.isEmpty { hostPart = "127.0.0.1" }
        guard let port = Int(portPart), (0...65535).contains(port) else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    /// `host:port`, with brackets round an IPv6 address.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A listening address that is not `HOST:PORT`.
public struct ListenAddressError: Error, CustomStringConvertible {
    /// What form is expected.
    public var description: String {
        "expected HOST:PORT with a port 0-65535, e.g. 127.0.0.1:8080, [::1]:8080 or :8080 (127.0.0.1)"
    }
}
