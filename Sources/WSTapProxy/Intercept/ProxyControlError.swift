/// A control request that names something the proxy does not have.
public struct ProxyControlError: Error, CustomStringConvertible, Sendable {
    /// What the request named that does not exist, or what is wrong with it.
    public var description: String

    /// An error with this one-line explanation.
    public init(_ description: String) {
        self.description = description
    }

    static func unknownConnection(_ id: UInt64) -> Self {
        Self("no open connection #\(id)")
    }

    static func unknownHold(_ id: UInt64) -> Self {
        Self("no held frame with id \(id)")
    }
}
