/// Why a replay could not start or went wrong: one line saying what, where and why.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
