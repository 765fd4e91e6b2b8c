import NIOCore
import NIOPosix
import Testing
import WSTapCore
import WSTapNetwork

/// The idle timeout (the original library's `ws-idle-timeout`): a connection with no frame received for
/// that long is closed with 1001; keepalive pongs are frames received, so they keep it open.
@Suite struct IdleTimeoutTests {
    @Test func aSilentPeerIsClosedWith1001() async throws {
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(idleTimeout: .milliseconds(300)), handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        #expect(await connection.receive() == nil)
        let outcome = await connection.closeOutcome()
        #expect(outcome.receivedCode == .goingAway)
        #expect(outcome.receivedReason == "idle timeout")
        #expect(outcome.initiator == .server)
        #expect(outcome.wasClean)
    }

    @Test func keepalivePongsKeepAConnectionOpen() async throws {
        // An event loop of its own for both ends: the shared ones also run the other tests' connections, and
        // one deflating or decoding a large message holds its loop (and these timers) for seconds on a loaded
        // machine.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await WebSocketServer.start(port: 0, group: group, handler: WebSocketServer.echo)
        defer {
            Task {
                try? await server.stop()
                try? await group.shutdownGracefully()
            }
        }
        // The client itself would close after 5 s without a frame; it pings every 100 ms and the pongs count:
        // 60 round trips take longer than the idle timeout.
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"),
            options: ClientOptions(idleTimeout: .seconds(5), keepaliveInterval: .milliseconds(100)), group: group)
        var roundTrips = 0
        while roundTrips < 60, let event = await connection.nextEvent() {
            if case .keepaliveRoundTrip = event { roundTrips += 1 }
        }
        #expect(roundTrips == 60)
        #expect(!connection.isClosed)
        #expect(await connection.close().wasClean)
    }
}
