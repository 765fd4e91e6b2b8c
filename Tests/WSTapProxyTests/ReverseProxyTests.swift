import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// Our client through the reverse proxy to our echo server: messages pass, and the proxy reports the
/// connection, every frame each way and the close.
@Suite struct ReverseProxyTests {
    final class EventLog: Sendable {
        let events = NIOLockedValueBox<[TrafficEvent]>([])
        func append(_ event: TrafficEvent) { events.withLockedValue { $0.append(event) } }
        var all: [TrafficEvent] { events.withLockedValue { $0 } }
    }

    @Test(arguments: [
        (ProtocolVariant.rfc6455, Hybi00Framing.old), (.hybi00, .old), (.hybi00, .new),
    ])
    func relaysAndReports(variant: ProtocolVariant, framing: Hybi00Framing) async throws {
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(hybi00Framing: framing), handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let log = EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/base"), hybi00Framing: framing,
                events: { log.append($0) }))
        defer { Task { try? await proxy.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/room?x=1"),
            options: ClientOptions(variant: variant, framing: framing))
        #expect(connection.info.variant == variant)
        for text in ["one", "two", String(repeating: "3", count: 100_000)] {
            try await connection.send(text)
            #expect(await connection.receive()?.text == text)
        }
        #expect(await connection.close().wasClean)
        // The close event comes when both sides are gone.
        await waitUntil {
            log.all.contains(where: { if case .connectionClosed = $0 { return true } else { return false } })
        }
        let events = log.all
        guard case .connectionOpened(let opened)? = events.first else {
            Issue.record("first event is not the opening: \(events.first.map { "\($0)" } ?? "none")")
            return
        }
        #expect(opened.request.target == "/base/room?x=1")
        #expect(opened.variant == variant)
        let frames = events.compactMap { if case .frame(let frame) = $0 { return frame } else { return nil } }
        let up = frames.filter { $0.direction == .clientToServer }
        let down = frames.filter { $0.direction == .serverToClient }
        #expect(up.count == 4)  // three messages and the close
        #expect(down.count == 4)
        #expect(frames.allSatisfy { $0.violations.isEmpty }, "\(frames.flatMap(\.violations))")
        guard case .connectionClosed(let closed)? = events.last else {
            Issue.record("last event is not the close")
            return
        }
        #expect(closed.wasClean)
        if variant == .rfc6455 {
            #expect(closed.clientCloseCode == .normalClosure)
            #expect(closed.serverCloseCode == .normalClosure)
        }
    }

    @Test func compressedMessagesAreShownInflated() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let log = EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), events: { log.append($0) }))
        defer { Task { try? await proxy.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/"), options: ClientOptions(offersCompression: true))
        #expect(connection.info.compression != nil)
        let texts = [String(repeating: "compress me ", count: 300), "short", String(repeating: "again ", count: 500)]
        for text in texts {
            try await connection.send(text)
            #expect(await connection.receive()?.text == text)
        }
        await connection.close()
        let frames = log.all.compactMap { if case .frame(let frame) = $0 { return frame } else { return nil } }
        for direction in TrafficDirection.allCases {
            let inflated = frames.filter { $0.direction == direction }.compactMap {
                $0.inflatedPayload.map { String(buffer: $0) }
            }
            #expect(inflated == texts, "\(direction)")
        }
        #expect(frames.allSatisfy { $0.inflationError == nil && $0.violations.isEmpty })
    }

    @Test func unreachableUpstreamGets502() async throws {
        // Port 1 on loopback: nothing listens there (a port freed by a stopped server could be reused by a
        // test running in parallel).
        let deadPort = 1
        let log = EventLog()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(upstream: try WebSocketURL("ws://127.0.0.1:\(deadPort)/"), events: { log.append($0) })
        )
        defer { Task { try? await proxy.stop() } }
        do {
            _ = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/"))
            Issue.record("connected through a proxy whose upstream is down")
        } catch {
            #expect("\(error)".contains("502"), "\(error)")
        }
        #expect(log.all.contains { if case .proxyError = $0 { return true } else { return false } })
    }
}
