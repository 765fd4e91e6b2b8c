import NIOCore
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
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        // The client itself would close after 2 s without a frame; it pings every 100 ms and the pongs count.
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"),
            options: ClientOptions(idleTimeout: .seconds(2), keepaliveInterval: .milliseconds(100)))
        var roundTrips = 0
        while roundTrips < 30, let event = await connection.nextEvent() {
            if case .keepaliveRoundTrip = event { roundTrips += 1 }
        }
        #expect(roundTrips == 30)
        #expect(!connection.isClosed)
        #expect(await connection.close().wasClean)
    }
}
