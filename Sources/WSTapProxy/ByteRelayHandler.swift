import NIOCore

/// One end of a byte-for-byte relay between two channels on one event loop (a pass-through tunnel, a plain
/// HTTP exchange): what one channel reads the other writes, unchanged; each side reads only while the other
/// can take writes; when one side ends, the other is closed once what was relayed to it is written.
final class ByteRelayHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: ByteRelayHandler?
    private var context: ChannelHandlerContext?
    private var backpressure = RelayBackpressure()

    private init() {}

    /// Two ends joined to each other: add one to each channel's pipeline.
    static func makePair() -> (ByteRelayHandler, ByteRelayHandler) {
        let first = ByteRelayHandler()
        let second = ByteRelayHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.send(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        backpressure.read(context: context, partnerWritable: partner?.context?.channel.isWritable ?? true)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        partner?.partnerWritabilityChanged(writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let other = partner
        partner = nil
        other?.partnerClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Writes bytes (unflushed) to this end's channel.
    func send(_ buffer: ByteBuffer) {
        context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    /// Writes bytes to this end's channel and flushes.
    func sendAndFlush(_ buffer: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private func partnerWritabilityChanged(writable: Bool) {
        guard let context else { return }
        backpressure.partnerWritabilityChanged(context: context, partnerWritable: writable)
    }

    /// The other end's channel ended: close this one after what was already relayed to it is written
    /// (writes complete in order, so an empty write completes after them).
    private func partnerClosed() {
        partner = nil
        guard let context else { return }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer())).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
