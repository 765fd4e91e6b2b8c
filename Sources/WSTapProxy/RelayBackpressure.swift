import NIOCore

/// Reads on one side only while the other side can take more writes, so a slow reader never makes the
/// proxy buffer without bound (the approach of SwiftNIO's glue handler).
struct RelayBackpressure {
    private var pendingRead = false

    /// An outbound read request on this side: pass it on unless the partner is full.
    mutating func read(context: ChannelHandlerContext, partnerWritable: Bool) {
        if partnerWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }

    /// The partner's writability changed: resume reading if it can take writes again.
    mutating func partnerWritabilityChanged(context: ChannelHandlerContext, partnerWritable: Bool) {
        if partnerWritable, pendingRead {
            pendingRead = false
            context.read()
        }
    }
}
