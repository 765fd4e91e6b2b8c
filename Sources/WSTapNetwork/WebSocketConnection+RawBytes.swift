import NIOCore

extension WebSocketConnection {
    /// Writes bytes to the peer exactly as given, past the framing and the state machine: for crafted
    /// frames, invalid ones included (the workbench, the demo). The connection's own state does not
    /// know about them, so a peer's answer (a close, say) may surprise it. A wire observer sees them.
    public func writeRaw(_ bytes: some Sequence<UInt8>) async throws {
        let buffer = channel.allocator.buffer(bytes: bytes)
        try await channel.writeAndFlush(buffer).get()
    }
}
