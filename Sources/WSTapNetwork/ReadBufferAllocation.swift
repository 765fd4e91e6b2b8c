package import NIOCore
package import NIOPosix

/// The size of the buffers a connection reads into. NIO keeps a connection's last read buffer for its next
/// read, so an idle connection holds one: with NIO's default first size (2,048 bytes) that was the largest
/// single part of what an idle connection costs. Reads start at 512 bytes here (an opening handshake
/// usually fits) and grow at once while they fill the buffer (to 8 KiB, then 64 KiB, as with NIO's default),
/// so busy connections still read 64 KiB at a time.
package enum ReadBufferAllocation {
    /// The allocator for the reads of servers and clients.
    package static let adaptive = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536)

    /// The allocator for the proxy's two sides, whose read buffers are written on to the other side: sized like
    /// ``adaptive``, but every read gets a fresh buffer, freed once it is written on (see
    /// ``FreshReadBufferAllocator``). Used with ``proxyMessagesPerRead``.
    package static let fresh = FreshReadBufferAllocator(minimum: 64, initial: 512, maximum: 65536)

    /// Reads per wake-up on the proxy's sides. NIO keeps one buffer per read of a wake-up for reuse (four by
    /// default), each as large as the largest read it ever took: with one, it keeps only the first buffer of
    /// the connection (the opening request's, 512 bytes), since ``fresh`` never asks it to reuse one.
    package static let proxyMessagesPerRead: UInt = 1
}

/// How a connection reads: the sizes of its read buffers, how many reads it makes per wake-up, and (for tests)
/// the allocator of its buffers.
package struct ReadSettings: Sendable {
    /// The sizes of the read buffers.
    package var recvAllocator: any RecvByteBufferAllocator
    /// Reads per wake-up; `nil`: NIO's default.
    package var messagesPerRead: UInt?
    /// Where the connection's buffers come from; `nil`: NIO's default allocator. Tests count what a
    /// connection holds with one of their own.
    package var bufferAllocator: ByteBufferAllocator?

    /// Servers and clients: ``ReadBufferAllocation/adaptive``.
    package static let endpoint = ReadSettings(recvAllocator: ReadBufferAllocation.adaptive)

    /// The proxy's sides: a fresh buffer per read, one read per wake-up.
    package static let relay = ReadSettings(
        recvAllocator: ReadBufferAllocation.fresh, messagesPerRead: ReadBufferAllocation.proxyMessagesPerRead)

    /// Settings with these parts.
    package init(
        recvAllocator: any RecvByteBufferAllocator, messagesPerRead: UInt? = nil,
        bufferAllocator: ByteBufferAllocator? = nil
    ) {
        self.recvAllocator = recvAllocator
        self.messagesPerRead = messagesPerRead
        self.bufferAllocator = bufferAllocator
    }

    /// Applies the settings to a client's bootstrap.
    package func apply(to bootstrap: ClientBootstrap) -> ClientBootstrap {
        var bootstrap = bootstrap.channelOption(.recvAllocator, value: recvAllocator)
        if let messagesPerRead { bootstrap = bootstrap.channelOption(.maxMessagesPerRead, value: messagesPerRead) }
        if let bufferAllocator { bootstrap = bootstrap.channelOption(.allocator, value: bufferAllocator) }
        return bootstrap
    }
}

/// Reads into buffers sized like NIO's `AdaptiveRecvByteBufferAllocator` (growing while reads fill them,
/// shrinking when they do not), but tells NIO's buffer pool never to reuse a kept one, so every read gets a
/// buffer of the size it needs and nothing of a burst stays once its bytes are written on.
///
/// Why (issue 21): NIO's pool reuses a kept buffer at its largest size ever (it only grows), and keeps
/// another one for each read of a wake-up whose buffer was still referenced (written on, not yet sent). A proxy
/// that passed one 70 KB message each way kept about 400 KiB per connection that way, 4 GiB for 10,000
/// connections. An allocation per read costs little next to the read itself.
package struct FreshReadBufferAllocator: RecvByteBufferAllocator {
    private var sizes: AdaptiveRecvByteBufferAllocator

    /// Reads of `initial` bytes first, growing up to `maximum` and shrinking down to `minimum`.
    package init(minimum: Int, initial: Int, maximum: Int) {
        sizes = AdaptiveRecvByteBufferAllocator(minimum: minimum, initial: initial, maximum: maximum)
    }

    package func buffer(allocator: ByteBufferAllocator) -> ByteBuffer {
        sizes.buffer(allocator: allocator)
    }

    // No size hint (`nextBufferSize()` stays nil) and "may grow" after every read: NIO's pool then always
    // allocates anew.
    package mutating func record(actualReadBytes: Int) -> Bool {
        _ = sizes.record(actualReadBytes: actualReadBytes)
        return true
    }
}
