/// Why a replay could not start or went wrong: one line saying what, where and why.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, where and why, in one line.
    public var description: String

    /// An error with this one-line explanation.
    public init(_ description: String) {
        self.description = description
    }
}
