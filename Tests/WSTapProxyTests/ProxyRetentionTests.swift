@_spi(CustomByteBufferAllocator) import NIOCore
import Synchronization
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

@testable import WSTapProxy

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes of buffer storage allocated by ``ProxyRetentionTests/countingAllocator`` and not yet freed.
private let liveBufferBytes = Atomic<Int>(0)

/// Each allocation starts with a header holding its size; the buffer gets what follows.
private let headerSize = 16

private func allocateCounted(_ size: Int) -> UnsafeMutableRawPointer? {
    guard let base = malloc(size + headerSize) else { return nil }
    base.storeBytes(of: size, as: Int.self)
    liveBufferBytes.add(size, ordering: .relaxed)
    return base + headerSize
}

private func base(of pointer: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
    pointer - headerSize
}

/// What the proxy keeps of a connection's traffic once it is idle: nothing of the messages that passed.
/// (Issue 21: 10,000 connections that each passed a 70 KB message took 4 GiB, about 400 KiB each. NIO kept
/// one read buffer per read of a wake-up, at the largest size the connection ever read, and the tap's
/// decoders kept the last read buffer and their largest payload.) Measured by the buffer bytes the proxy's
/// channels hold, counted by their allocator, not by time.
@Suite struct ProxyRetentionTests {
    /// NIO's `malloc`, counting what it allocates.
    static let countingAllocator = ByteBufferAllocator(
        allocate: { size in allocateCounted(size) },
        reallocate: { pointer, _, newSize in
            guard let pointer else { return allocateCounted(newSize) }
            let old = base(of: pointer)
            let oldSize = old.load(as: Int.self)
            guard let moved = realloc(old, newSize + headerSize) else { return nil }
            moved.storeBytes(of: newSize, as: Int.self)
            liveBufferBytes.add(newSize - oldSize, ordering: .relaxed)
            return moved + headerSize
        },
        deallocate: { pointer in
            let old = base(of: pointer)
            liveBufferBytes.subtract(old.load(as: Int.self), ordering: .relaxed)
            free(old)
        },
        copy: { destination, source, count in destination.copyMemory(from: source, byteCount: count) })

    static let connectionCount = 20
    /// What an idle proxied connection may keep in buffers, both sides together.
    static let allowedPerConnection = 4 << 10

    @Test func idleConnectionsKeepNothingOfWhatPassed() async throws {
        let upstream = try await WebSocketServer.start(port: 0) { connection in
            await WebSocketServer.echo(connection)
        }
        defer { Task { try? await upstream.stop() } }
        var options = ProxyOptions(upstream: try WebSocketURL("ws://127.0.0.1:\(upstream.port)/"), events: { _ in })
        options.reads.bufferAllocator = Self.countingAllocator
        let proxy = try await ReverseProxy.start(port: 0, options: options)
        defer { Task { try? await proxy.stop() } }
        let before = liveBufferBytes.load(ordering: .relaxed)
        var clients: [WebSocketConnection] = []
        for index in 0..<Self.connectionCount {
            let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/"))
            clients.append(client)
            // A large message (the proxy's reads grow to 64 KiB for it), then small ones.
            for size in [70_000, 100, 3_000, 10] {
                let payload = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: size)
                try await client.send(payload, opcode: .binary)
                let echo = try #require(await client.receive())
                #expect(echo.data == payload)
            }
        }
        // Every echo came back, so the proxy wrote everything on; what its channels still hold is what they
        // keep while idle. (A guard deadline only: it holds at once when nothing is kept.)
        let limit = Self.connectionCount * Self.allowedPerConnection
        let held = { liveBufferBytes.load(ordering: .relaxed) - before }
        let small = await waitUntil { held() <= limit }
        let total = held()
        let message =
            "\(Self.connectionCount) idle connections hold \(total) bytes of buffers in the proxy, "
            + "\(total / Self.connectionCount) each (at most \(Self.allowedPerConnection))"
        #expect(small, Comment(rawValue: message))
        for client in clients { _ = try await client.close() }
    }
}
