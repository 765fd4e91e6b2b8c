public import WSTapCore

/// Where the composer's frame goes when it is sent.
public enum ComposerTarget: Hashable, Sendable {
    /// Written on the client's own connection (`wstap connect`): ``UIEffect/send(bytes:)``.
    case clientConnection
    /// Injected into one direction of a proxied connection: ``UIEffect/inject(connection:direction:bytes:)``.
    /// `nil` while the proxy has no connection yet.
    case proxied(connection: UInt64?, direction: TrafficDirection)
    /// Sent in place of a frame held by intercept: ``UIEffect/decideHeld(holdID:decision:)``.
    case heldFrame(holdID: UInt64, connection: UInt64, direction: TrafficDirection)

    /// The direction the frame travels (a client always sends client to server).
    public var direction: TrafficDirection {
        switch self {
        case .clientConnection: return .clientToServer
        case .proxied(_, let direction), .heldFrame(_, _, let direction): return direction
        }
    }

    /// The connection the frame goes on, when one is known.
    public var connection: UInt64? {
        switch self {
        case .clientConnection: return nil
        case .proxied(let connection, _): return connection
        case .heldFrame(_, let connection, _): return connection
        }
    }

    /// A few words for the composer's title and notices.
    var words: String {
        switch self {
        case .clientConnection:
            return "send on the client connection"
        case .proxied(let connection?, let direction):
            return "inject into connection \(connection) \(direction.rawValue)"
        case .proxied(nil, _):
            return "inject (no open connection)"
        case .heldFrame(let holdID, let connection, let direction):
            return "replace held frame \(holdID) (connection \(connection) \(direction.rawValue))"
        }
    }
}
