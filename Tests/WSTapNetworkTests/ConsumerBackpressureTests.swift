import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// A consumer of the traffic that falls behind (the recorder, on a slow disk) holds the connection's peer
/// back the way a slow application does: while it is behind the connection stops reading from its socket,
/// whatever the application takes, and once it has caught up every message arrives. Measured in bytes the
/// application got, not with time.
@Suite struct ConsumerBackpressureTests {
    static let messageSize = 16 * 1024
    /// 4 MiB: far more than one read brings.
    static let messageCount = 256
    /// One read request reads at most 4 times 64 KiB (NIO's default), and a message may straddle it.
    static let oneRead = 4 * 64 * 1024 + messageSize

    /// A consumer behind until released.
    final class HeldBack: TrafficBackpressure {
        private let state = NIOLockedValueBox((behind: true, waiting: [@Sendable () -> Void]()))
        var isBehind: Bool { state.withLockedValue { $0.behind } }
        var waitingCount: Int { state.withLockedValue { $0.waiting.count } }
        func whenCaughtUp(_ action: @escaping @Sendable () -> Void) {
            let now = state.withLockedValue { state -> Bool in
                if state.behind { state.waiting.append(action) }
                return !state.behind
            }
            if now { action() }
        }
        func release() {
            let waiting = state.withLockedValue { state in
                state.behind = false
                defer { state.waiting.removeAll() }
                return state.waiting
            }
            for action in waiting { action() }
        }
    }

    @Test func aConsumerBehindHoldsTheClientBackUntilItCatchesUp() async throws {
        let heldBack = HeldBack()
        var options = ServerOptions()
        options.backpressure = heldBack
        // The server's application takes every message at once: only the consumer holds reading back.
        let received = NIOLockedValueBox((count: 0, bytes: 0, inOrder: true))
        let server = try await WebSocketServer.start(port: 0, options: options) { connection in
            while let message = await connection.receive() {
                let index = message.data.getInteger(at: message.data.readerIndex, as: UInt32.self)
                received.withLockedValue {
                    $0.inOrder = $0.inOrder && index == UInt32($0.count)
                    $0.count += 1
                    $0.bytes += message.data.readableBytes
                }
            }
        }
        defer { Task { try? await server.stop() } }
        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        let sent = NIOLockedValueBox(0)
        let sending = Task {
            for index in 0..<Self.messageCount {
                var payload = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: Self.messageSize)
                payload.setInteger(UInt32(index), at: 0)
                try await client.send(payload, opcode: .binary)
                sent.withLockedValue { $0 += 1 }
            }
        }
        // The connection asked to hear when the consumer catches up, and the client sent three reads' worth
        // (the rest waits in the kernel's socket buffers).
        let enough = 3 * Self.oneRead / Self.messageSize
        let held = await waitUntil { heldBack.waitingCount == 1 && sent.withLockedValue { $0 } >= enough }
        #expect(held, "waiting: \(heldBack.waitingCount), sent: \(sent.withLockedValue { $0 })")
        #expect(received.withLockedValue { $0.bytes } <= Self.oneRead, "read on while the consumer was behind")

        heldBack.release()
        #expect(await waitUntil { received.withLockedValue { $0.count } == Self.messageCount })
        #expect(received.withLockedValue { $0.inOrder })
        try await sending.value
        #expect(await client.close().wasClean)
    }
}
