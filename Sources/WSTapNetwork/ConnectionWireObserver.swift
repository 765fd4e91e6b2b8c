public import NIOCore
public import WSTapCore

/// Sees every byte an open connection sends and receives after its opening handshake (for a
/// recorder). Called on the connection's event loop: keep it fast.
public protocol ConnectionWireObserver: AnyObject, Sendable {
    /// Bytes that arrived from the peer, before they are decoded.
    func received(_ bytes: ByteBuffer)
    /// Bytes this end wrote (frames, masked as sent).
    func sent(_ bytes: ByteBuffer)
    /// The connection ended, this way.
    func closed(_ outcome: CloseOutcome)
}

/// Makes the observer for a connection that just opened (`nil`: do not observe it).
public typealias ConnectionWireObserverFactory = @Sendable (ConnectionInfo) -> (any ConnectionWireObserver)?
