import Foundation
import NIOConcurrencyHelpers
import NIOCore
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// A forward proxy on 127.0.0.1 with its CA in a fresh temporary folder, trusting the test CA for the
/// servers it connects to, and recording every event.
final class ForwardProxyFixture: Sendable {
    let proxy: ListeningProxy
    let caDirectory: String
    private let events: NIOLockedValueBox<[TrafficEvent]>

    /// The wstap CA certificate clients must trust.
    var caFile: String { caDirectory + "/" + CertificateAuthority.certificateFileName }
    var port: Int { proxy.port }
    var allEvents: [TrafficEvent] { events.withLockedValue { $0 } }

    private init(proxy: ListeningProxy, caDirectory: String, events: NIOLockedValueBox<[TrafficEvent]>) {
        self.proxy = proxy
        self.caDirectory = caDirectory
        self.events = events
    }

    /// `trustsTestCA: false` leaves the system's trust store alone, which does not know the test CA.
    static func start(
        passThrough: [String] = [], handshakeTimeout: TimeAmount = .seconds(10), trustsTestCA: Bool = true
    ) async throws -> ForwardProxyFixture {
        let certificates = try await TestCertificates.loaded()
        let caDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-ca-\(UUID().uuidString)")
            .path
        let events = NIOLockedValueBox<[TrafficEvent]>([])
        let relay = ProxyOptions(
            upstream: try WebSocketURL("ws://127.0.0.1/"),
            upstreamTLS: ClientTLSOptions(extraCAFile: trustsTestCA ? certificates.caFile : nil),
            handshakeTimeout: handshakeTimeout,
            events: { event in events.withLockedValue { $0.append(event) } })
        let options = ForwardProxyOptions(
            relay: relay, certificateAuthority: try CertificateAuthority.loadOrCreate(directory: caDirectory),
            passThrough: passThrough.map(HostPattern.init))
        let proxy = try await ForwardProxy.start(port: 0, options: options)
        return ForwardProxyFixture(proxy: proxy, caDirectory: caDirectory, events: events)
    }

    /// Waits until an event satisfies `condition` (at most about a minute: a loaded machine can be slow);
    /// returns the events then.
    func waitForEvent(_ condition: (TrafficEvent) -> Bool) async -> [TrafficEvent] {
        for _ in 0..<3000 {
            let events = allEvents
            if events.contains(where: condition) { return events }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return allEvents
    }

    /// The frames seen on one connection, one direction.
    func frames(_ direction: TrafficDirection) -> [TrafficEvent.FrameSeen] {
        allEvents.compactMap { event in
            if case .frame(let frame) = event, frame.direction == direction { return frame }
            return nil
        }
    }

    func stop() async {
        try? await proxy.stop()
        try? FileManager.default.removeItem(atPath: caDirectory)
    }
}

extension TrafficEvent {
    var isClose: Bool {
        if case .connectionClosed = self { return true }
        return false
    }

    var proxyErrorMessage: String? {
        if case .proxyError(let message, _) = self { return message }
        return nil
    }
}
