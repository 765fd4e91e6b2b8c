public import NIOCore

/// What the I/O layer must do for the connection state machine.
public enum ConnectionAction: Sendable {
    /// Write these bytes to the peer. A frame may take more than one write (a large unmasked payload follows
    /// its header as it is).
    case write(ByteBuffer)
    /// Hand this event to the user.
    case deliver(ConnectionEvent)
    /// Close the TCP connection now.
    case closeTransport
    /// The peer sent a close frame. Once the user has taken the events before it (or after a short
    /// grace period), call ``ConnectionStateMachine/acknowledgePeerClose(using:)``.
    case peerRequestedClose
    /// A frame from the peer broke the protocol (the state is ``ConnectionStateMachine/State/failing``).
    /// Once the user has taken the events before it (or after a short grace period), call
    /// ``ConnectionStateMachine/failPending(using:)``.
    case failurePending
    /// A compressed message arrived: inflate it, then call ``ConnectionStateMachine/messageInflated(_:using:)``
    /// or ``ConnectionStateMachine/inflationFailed(code:reason:using:)``.
    case inflate(Message)
    /// A piece of a compressed message being streamed (its frames' payloads as they arrive; `isFinal` on the
    /// last): inflate it with the message's earlier pieces, then call
    /// ``ConnectionStateMachine/chunkInflated(_:using:)`` with what it inflated to (`isFirst` and `isFinal`
    /// as given), or ``ConnectionStateMachine/inflationFailed(code:reason:using:)``.
    case inflateChunk(MessageChunk)
}
