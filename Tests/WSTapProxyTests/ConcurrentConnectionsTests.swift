import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapTestSupport

/// Many connections at once through the reverse proxy: every message comes back whole, unchanged and in
/// order, and the proxy reports every frame and every connection. (The timed 1,000 × 100 version with
/// the proxy's memory is `scripts/bench-proxy.sh`; this one keeps correctness under concurrency in CI.)
@Suite struct ConcurrentConnectionsTests {
    static let connectionCount = 200
    static let messagesPerConnection = 20

    /// What the proxy reported, counted as it goes.
    final class Tally: Sendable {
        private struct Counts {
            var opened = 0
            var closed = 0
            var cleanClosed = 0
            var frames: [TrafficDirection: Int] = [:]
            var violations: [String] = []
        }
        private let counts = NIOLockedValueBox(Counts())

        func record(_ event: TrafficEvent) {
            counts.withLockedValue { counts in
                switch event {
                case .connectionOpened: counts.opened += 1
                case .connectionClosed(let closed):
                    counts.closed += 1
                    if closed.wasClean { counts.cleanClosed += 1 }
                case .frame(let frame):
                    counts.frames[frame.direction, default: 0] += 1
                    counts.violations += frame.violations.map { "\($0)" }
                default: break
                }
            }
        }

        var opened: Int { counts.withLockedValue { $0.opened } }
        var closed: Int { counts.withLockedValue { $0.closed } }
        var cleanClosed: Int { counts.withLockedValue { $0.cleanClosed } }
        func frames(_ direction: TrafficDirection) -> Int { counts.withLockedValue { $0.frames[direction] ?? 0 } }
        var violations: [String] { counts.withLockedValue { $0.violations } }
    }

    /// Message `index` of connection `connection`: text or binary, sizes across the length encodings
    /// (7-bit, 16-bit, 64-bit), content unique to the pair so a swap or a mix-up shows.
    static func message(connection: Int, index: Int) -> Message {
        // Big messages on two connections only: the tests run in a debug build, beside timing-sensitive suites.
        let sizes = [0, 1, 17, 125, 126, 127, 1000]
        var size = sizes[(connection + index) % sizes.count]
        if index == 7, connection < 2 { size = connection == 0 ? 65_536 + 11 : 65_535 }
        let bytes = (0..<size).map { offset in
            UInt8(truncatingIfNeeded: connection &* 131 &+ index &* 31 &+ offset &* 7 &+ offset >> 8)
        }
        if index % 2 == 0 {
            // Printable ASCII, so valid UTF-8.
            return Message(opcode: .text, data: ByteBuffer(bytes: bytes.map { 0x20 + $0 % 95 }))
        }
        return Message(opcode: .binary, data: ByteBuffer(bytes: bytes))
    }

    @Test func everyMessageOfEveryConnectionComesBackInOrder() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let tally = Tally()
        let proxy = try await ReverseProxy.start(
            port: 0,
            options: ProxyOptions(
                upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), handshakeTimeout: .seconds(90),
                events: { tally.record($0) }))
        defer { Task { try? await proxy.stop() } }
        let url = try WebSocketURL("ws://127.0.0.1:\(proxy.port)/")
        // Generous deadlines: on a loaded machine 200 handshakes at once can take far longer than 10 s.
        let options = ClientOptions(connectTimeout: .seconds(90), handshakeTimeout: .seconds(90))

        // All connections open at once before any message is sent.
        let connections = try await withThrowingTaskGroup(of: (Int, WebSocketConnection).self) { group in
            for index in 0..<Self.connectionCount {
                group.addTask { (index, try await WebSocketClient.connect(to: url, options: options)) }
            }
            var opened: [Int: WebSocketConnection] = [:]
            for try await (index, connection) in group { opened[index] = connection }
            return opened
        }
        #expect(connections.count == Self.connectionCount)

        // Every connection sends all its messages, then reads the echoes and compares them in order.
        let problems = await withTaskGroup(of: [String].self) { group in
            for (index, connection) in connections {
                group.addTask {
                    var problems: [String] = []
                    do {
                        for number in 0..<Self.messagesPerConnection {
                            let message = Self.message(connection: index, index: number)
                            try await connection.send(message.data, opcode: message.opcode)
                        }
                    } catch {
                        return ["connection \(index): send failed: \(error)"]
                    }
                    for number in 0..<Self.messagesPerConnection {
                        let sent = Self.message(connection: index, index: number)
                        guard let echo = await connection.receive() else {
                            problems.append("connection \(index): closed after \(number) echoes")
                            break
                        }
                        if echo.opcode != sent.opcode || echo.data != sent.data {
                            problems.append(
                                "connection \(index) message \(number): sent \(sent.opcode) of "
                                    + "\(sent.data.readableBytes) bytes, got \(echo.opcode) of \(echo.data.readableBytes)"
                            )
                        }
                    }
                    let outcome = await connection.close()
                    if !outcome.wasClean { problems.append("connection \(index): close not clean: \(outcome)") }
                    return problems
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(problems.isEmpty, "\(problems.prefix(10))")

        // The proxy saw each connection open and close, and every frame both ways (messages and close).
        await waitUntil { tally.closed >= Self.connectionCount }
        #expect(tally.opened == Self.connectionCount)
        #expect(tally.closed == Self.connectionCount)
        #expect(tally.cleanClosed == Self.connectionCount)
        let framesEachWay = Self.connectionCount * (Self.messagesPerConnection + 1)
        #expect(tally.frames(.clientToServer) == framesEachWay)
        #expect(tally.frames(.serverToClient) == framesEachWay)
        #expect(tally.violations.isEmpty, "\(tally.violations.prefix(5))")
    }
}
