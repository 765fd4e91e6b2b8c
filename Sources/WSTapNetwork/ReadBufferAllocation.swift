import NIOCore

/// The size of the buffers a connection reads into. NIO keeps a connection's last read buffer for its next
/// read, so an idle connection holds one: with NIO's default first size (2,048 bytes) that was the largest
/// single part of what an idle connection costs. Reads start at 512 bytes here (an opening handshake
/// usually fits) and grow at once while they fill the buffer (to 8 KiB, then 64 KiB, as with NIO's default),
/// so busy connections still read 64 KiB at a time.
package enum ReadBufferAllocation {
    /// The allocator for every connection's reads (servers, clients, the proxy's two sides).
    package static let adaptive = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536)
}
