import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapTestSupport

@testable import WSTapNetwork

/// Keepalive pings with measured round trips, on our client and our server, against our own endpoints
/// and real peers (python3-websockets and node-ws answer pings themselves).
@Suite(.serialized) struct KeepaliveTests {
    /// Takes events until `count` keepalive round trips came (or the connection closed).
    static func roundTrips(_ count: Int, on connection: WebSocketConnection) async -> [Duration] {
        var times: [Duration] = []
        while times.count < count, let event = await connection.nextEvent() {
            if case .keepaliveRoundTrip(let time) = event { times.append(time) }
        }
        return times
    }

    @Test func ourClientMeasuresRoundTripsToOurServer() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"),
            options: ClientOptions(keepaliveInterval: .milliseconds(50)))
        let times = await Self.roundTrips(3, on: connection)
        #expect(times.count == 3)
        #expect(times.allSatisfy { $0 > .zero })
        // The log holds the most recent round trips (pings go on while the test reads).
        #expect(connection.roundTripTimes.count >= 3)
        #expect(connection.lastRoundTripTime != nil)
        #expect(await connection.close().wasClean)
    }

    @Test(arguments: InteropPeer.all)
    func ourClientMeasuresRoundTripsToTheirServer(peer: InteropPeer) async throws {
        try #require(await peer.isInstalled, "\(peer) is missing: run scripts/test.sh, which installs it")
        let (server, port) = try await peer.startServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"),
            options: ClientOptions(keepaliveInterval: .milliseconds(50)))
        let times = await Self.roundTrips(3, on: connection)
        #expect(times.count == 3, "\(peer) answered \(times.count) keepalive pings")
        #expect(await connection.close().wasClean)
    }

    @Test func ourServerPingsWithUniquePayloadsAndMeasures() async throws {
        let (connections, continuation) = AsyncStream.makeStream(of: WebSocketConnection.self)
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(keepaliveInterval: .milliseconds(50))
        ) { connection in
            continuation.yield(connection)
        }
        defer { Task { try? await server.stop() } }
        let client = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), options: ClientOptions(reportsFrames: true))
        var pings: [[UInt8]] = []
        while pings.count < 4, let event = await client.nextEvent() {
            if case .frameReceived(let frame) = event, frame.header.opcode == .ping {
                pings.append(Array(frame.payload.readableBytesView))
            }
        }
        #expect(pings.count == 4)
        #expect(Set(pings).count == pings.count, "keepalive ping payloads repeat: \(pings)")
        var iterator = connections.makeAsyncIterator()
        let accepted = await iterator.next()
        let serverSide = try #require(accepted)
        let times = await Self.roundTrips(3, on: serverSide)
        #expect(times.count == 3)
        #expect(await client.close().wasClean)
    }

    @Test func aPongMatchesOnlyItsOwnPing() {
        var pings = KeepalivePings(prefix: 7)
        let start = NIODeadline.uptimeNanoseconds(1_000_000)
        let first = pings.nextPing(at: start)
        let second = pings.nextPing(at: start + .milliseconds(5))
        #expect(first != second)
        // Unsolicited, foreign and truncated pongs match nothing.
        #expect(pings.pongReceived(ByteBuffer(), at: start + .milliseconds(6)) == nil)
        #expect(pings.pongReceived(ByteBuffer(string: "hello world!"), at: start + .milliseconds(6)) == nil)
        #expect(pings.pongReceived(first.getSlice(at: 0, length: 11) ?? ByteBuffer(), at: start) == nil)
        var other = KeepalivePings(prefix: 8)
        #expect(pings.pongReceived(other.nextPing(at: start), at: start + .milliseconds(6)) == nil)
        // The second ping's pong gives its own round trip, and the first ping is then given up.
        #expect(pings.pongReceived(second, at: start + .milliseconds(12)) == .milliseconds(7))
        #expect(pings.pongReceived(first, at: start + .milliseconds(13)) == nil)
        #expect(pings.pongReceived(second, at: start + .milliseconds(14)) == nil)
    }
}
