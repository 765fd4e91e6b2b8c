import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore

@testable import WSTapNetwork

/// An application that does not read holds a fast sender back: the connection stops reading from its
/// socket once its inbox holds more than `maxBufferedBytes`, and reads again once the application has
/// caught up. Measured with the inbox's own byte counts, not with time.
@Suite struct BackpressureTests {
    static let limit = 256 * 1024
    static let messageSize = 16 * 1024
    /// 4 MiB: far more than the inbox limit (and more than the client is waited for below).
    static let messageCount = 256

    @Test func aServerThatDoesNotReadHoldsTheClientBack() async throws {
        let (connections, continuation) = AsyncStream.makeStream(of: WebSocketConnection.self)
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(maxBufferedBytes: Self.limit)
        ) { connection in
            continuation.yield(connection)
        }
        defer { Task { try? await server.stop() } }
        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        var iterator = connections.makeAsyncIterator()
        let accepted = await iterator.next()
        let serverSide = try #require(accepted)

        // The client sends as fast as its socket takes the bytes, counting the messages handed to it.
        let sent = NIOLockedValueBox(0)
        let sending = Task {
            for index in 0..<Self.messageCount {
                var payload = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: Self.messageSize)
                payload.setInteger(UInt32(index), at: 0)
                try await client.send(payload, opcode: .binary)
                sent.withLockedValue { $0 += 1 }
            }
        }
        // The server's application reads nothing until its connection has stopped reading and the client
        // has sent three times what the inbox may hold (the rest waits in the kernel's socket buffers).
        let enough = 3 * (Self.limit + 4 * 64 * 1024) / Self.messageSize
        var waited = 0
        while serverSide.inboxStatistics.timesOverLimit == 0 || sent.withLockedValue({ $0 }) < enough, waited < 3000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(serverSide.inboxStatistics.timesOverLimit > 0, "the inbox never passed its limit")
        #expect(sent.withLockedValue { $0 } >= enough, "the client could not send \(enough) messages")
        // Held back: what waits in the inbox is bounded, whatever the client sent.
        #expect(serverSide.inboxStatistics.bufferedBytes <= Self.limit + 4 * 64 * 1024 + Self.messageSize)

        // Now it reads everything: every message arrives, in order, intact...
        var received = 0
        while received < Self.messageCount, let message = await serverSide.receive() {
            let index = message.data.getInteger(at: message.data.readerIndex, as: UInt32.self)
            #expect(index == UInt32(received))
            #expect(message.data.readableBytes == Self.messageSize)
            received += 1
        }
        #expect(received == Self.messageCount)
        try await sending.value
        // ...and at no time did more than the limit, one read (NIO reads up to 4 times 64 KiB per read
        // request) and one message wait in the inbox.
        let statistics = serverSide.inboxStatistics
        #expect(statistics.peakBufferedBytes <= Self.limit + 4 * 64 * 1024 + Self.messageSize, "\(statistics)")
        #expect(statistics.peakBufferedBytes > Self.limit)
        #expect(statistics.bufferedBytes == 0)
        #expect(await client.close().wasClean)
    }
}
