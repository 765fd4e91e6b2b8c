import NIOCore
import NIOPosix
import Testing
import WSTapCore
import WSTapNetwork

/// A server that accepts TCP and never answers the opening handshake: the client gives up after
/// ``ClientOptions/handshakeTimeout`` with an error that says so, instead of waiting forever.
@Suite struct HandshakeTimeoutTests {
    @Test func aServerThatNeverAnswersFailsTheConnect() async throws {
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        let port = try #require(silent.localAddress?.port)
        let error = await #expect(throws: HandshakeFailure.self) {
            _ = try await WebSocketClient.connect(
                to: try WebSocketURL("ws://127.0.0.1:\(port)/"),
                options: ClientOptions(handshakeTimeout: .milliseconds(200)))
        }
        #expect(
            "\(error.map { "\($0)" } ?? "")".contains(
                "no answer to the opening handshake from 127.0.0.1:\(port) within 0.2 s"),
            "\(String(describing: error))")
    }
}
