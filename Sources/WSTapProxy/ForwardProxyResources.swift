import NIOConcurrencyHelpers
import NIOSSL
import WSTapCore
import WSTapNetwork

/// What every connection of one forward proxy shares: its options, the TLS context for servers, the
/// interception certificates and the connection numbering.
final class ForwardProxyResources: Sendable {
    let options: ForwardProxyOptions
    /// TLS towards servers (`wss://`, `https://`, intercepted tunnels), verified unless told otherwise.
    let upstreamTLS: NIOSSLContext
    let interception: InterceptionCertificates
    /// Intercept, inject, close and framing controls for the WebSocket connections it relays.
    let controller: ProxyController
    private let counter = NIOLockedValueBox<UInt64>(0)

    init(options: ForwardProxyOptions) throws {
        self.options = options
        upstreamTLS = try options.relay.upstreamTLS.makeContext()
        interception = try InterceptionCertificates(authority: options.certificateAuthority)
        controller = ProxyController(events: { [consumer = options.relay.consumer] in consumer.consume($0) })
    }

    /// The next connection number (1, 2, ...), shared by every WebSocket connection of the proxy.
    func nextConnectionID() -> UInt64 {
        counter.withLockedValue { value in
            value += 1
            return value
        }
    }

    func emit(_ event: TrafficEvent) {
        options.relay.consumer.consume(event)
    }

    /// Whether a CONNECT to `host:port` is tunnelled untouched.
    func passesThrough(host: String, port: Int) -> Bool {
        options.passThrough.contains { $0.matches(host: host, port: port) }
    }
}
