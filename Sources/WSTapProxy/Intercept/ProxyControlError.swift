/// A control request that names something the proxy does not have.
public struct ProxyControlError: Error, CustomStringConvertible, Sendable {
    public var description: String

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
