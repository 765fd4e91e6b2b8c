import NIOCore
import WSTapCore

/// What a ``ProxyConnectionMachine`` asks of the two channels of its connection. The machine decides; the
/// channel handlers around it (``ProxySession``) only carry these out, in order.
enum ProxyAction {
    /// Write bytes to a side (not flushed yet).
    case write(ByteBuffer, to: EndpointRole)
    /// Flush what was written to a side.
    case flush(EndpointRole)
    /// Flush what was written to a side, then close its connection.
    case closeAfterWrites(EndpointRole)
    /// Reset a side's TCP connection (an abortive close, SO_LINGER 0), as the other side's was reset.
    case reset(EndpointRole)
    /// A side may be read again, if it was paused and nothing else stops it.
    case resumeReading(EndpointRole)
}

extension TrafficDirection {
    /// The side that receives bytes travelling this way.
    var receiver: EndpointRole { self == .clientToServer ? .server : .client }
}
