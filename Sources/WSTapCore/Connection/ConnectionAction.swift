public import NIOCore

/// What the I/O layer must do for the connection state machine.
public enum ConnectionAction: Sendable {
    /// Write these bytes to the peer.
    case write(ByteBuffer)
    /// Hand this event to the user.
    case deliver(ConnectionEvent)
    /// Close the TCP connection now.
    case closeTransport
    /// The peer sent a close frame. Once the user has taken the events before it (or after a short
    /// grace period), call ``ConnectionStateMachine/acknowledgePeerClose(using:)``.
    case peerRequestedClose
    /// A compressed message arrived: inflate it, then call ``ConnectionStateMachine/messageInflated(_:using:)``
    /// or ``ConnectionStateMachine/inflationFailed(code:reason:using:)``.
    case inflate(Message)
}
