import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapTestSupport

@testable import WSTapNetwork

/// What a connection keeps of its traffic: nothing of a message once the application took it, and nothing
/// at all once it closed. (Issue 21: `wstap serve` held every message of a connection until 1,024 had been
/// taken, and never let a closed connection go, so its memory grew by gigabytes under load and stayed.)
/// Measured by what is still referenced, not by time.
@Suite struct ConnectionRetentionTests {
    /// A weak reference, to learn whether anything else still holds an object.
    final class Weak<Object: AnyObject>: @unchecked Sendable {
        weak var object: Object?
        init(_ object: Object) { self.object = object }
    }

    /// The address of a buffer's bytes after writing into it: the same as before only when nothing else
    /// shared its storage (a shared storage is copied first).
    static func addressAfterWriting(_ buffer: inout ByteBuffer) -> (before: UInt, after: UInt) {
        let before = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        buffer.setInteger(UInt8(0xA5), at: buffer.readerIndex)
        let after = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        return (before, after)
    }

    /// The payload of the next event, which must be a message; the event itself is gone when this returns.
    static func nextPayload(of inbox: ConnectionInbox) async -> ByteBuffer? {
        guard case .message(let message) = await inbox.next() else { return nil }
        return message.data
    }

    @Test func aTakenMessageIsNotKeptByTheInbox() async throws {
        let inbox = ConnectionInbox(limit: 64 << 20)
        // Pushed while nobody waits, so that they queue (as when a fast peer sends ahead of the reader).
        for index in 0..<8 {
            inbox.push(.message(Message(opcode: .binary, data: ByteBuffer(repeating: UInt8(index), count: 4096))))
        }
        for index in 0..<8 {
            var payload = try #require(await Self.nextPayload(of: inbox))
            #expect(payload.getInteger(at: payload.readerIndex, as: UInt8.self) == UInt8(index))
            let addresses = Self.addressAfterWriting(&payload)
            #expect(
                addresses.before == addresses.after,
                "message \(index): the inbox still holds its bytes after it was taken")
        }
        #expect(inbox.backlog == 0)
    }

    /// The client's side of one connection: sends `count` messages of `size` bytes before reading any echo
    /// (so they queue in the server's inbox), checks every echo, closes. Returns weak references to both
    /// ends' inboxes.
    static func echoConnection(
        port: Int, count: Int, size: Int, serverInboxes: NIOLockedValueBox<[Weak<ConnectionInbox>]>
    ) async throws -> Weak<ConnectionInbox> {
        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"))
        for index in 0..<count {
            var payload = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: size)
            payload.setInteger(UInt32(index), at: 0)
            try await client.send(payload, opcode: .binary)
        }
        for index in 0..<count {
            let echo = try #require(await client.receive())
            #expect(echo.data.readableBytes == size)
            #expect(echo.data.getInteger(at: echo.data.readerIndex, as: UInt32.self) == UInt32(index))
        }
        #expect(await client.close().wasClean)
        return Weak(client.inbox)
    }

    @Test func closedConnectionsLeaveNothingBehind() async throws {
        let serverInboxes = NIOLockedValueBox<[Weak<ConnectionInbox>]>([])
        let server = try await WebSocketServer.start(port: 0) { connection in
            serverInboxes.withLockedValue { $0.append(Weak(connection.inbox)) }
            await WebSocketServer.echo(connection)
        }
        defer { Task { try? await server.stop() } }
        var clientInboxes: [Weak<ConnectionInbox>] = []
        for _ in 0..<3 {
            clientInboxes.append(
                try await Self.echoConnection(
                    port: server.port, count: 32, size: 64 * 1024, serverInboxes: serverInboxes))
        }
        #expect(await waitUntil { serverInboxes.withLockedValue { $0.count } == 3 })
        // Every connection is closed and its handler returned: nothing may hold its inbox (and the messages
        // and handler that come with it). A guard deadline only: it is over at once when nothing leaks.
        let serverSideGone = await waitUntil { serverInboxes.withLockedValue { $0.allSatisfy { $0.object == nil } } }
        #expect(serverSideGone, "a closed server connection is still held")
        let clientSideGone = await waitUntil { clientInboxes.allSatisfy { $0.object == nil } }
        #expect(clientSideGone, "a closed client connection is still held")
    }

    /// NIO keeps a connection's last read buffer for its next read, so an idle connection holds one: both ends
    /// start reading into 512 bytes (NIO's default is 2,048), and grow from there as reads fill the buffer.
    /// (Issue 21: 1,000 idle connections to `wstap serve` took 14 KiB each, where 12 was the aim.)
    @Test func idleConnectionsHoldSmallReadBuffers() async throws {
        let (serverSides, continuation) = AsyncStream.makeStream(of: WebSocketConnection.self)
        let server = try await WebSocketServer.start(port: 0) { connection in
            continuation.yield(connection)
            _ = await connection.receive()
        }
        defer { Task { try? await server.stop() } }
        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        var iterator = serverSides.makeAsyncIterator()
        let serverSide = try #require(await iterator.next())
        for connection in [client, serverSide] {
            let allocator = try await connection.channel.getOption(.recvAllocator).get()
            let adaptive = try #require(allocator as? AdaptiveRecvByteBufferAllocator)
            #expect(adaptive.initial == 512)
            #expect(adaptive.maximum == 65536)
        }
        #expect(await client.close().wasClean)
    }
}
