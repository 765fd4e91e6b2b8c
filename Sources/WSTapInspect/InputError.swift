/// A clear, one-line complaint about user input: what was wrong, where, and why.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What input it was (a flag, a file, hex input...).
    public var subject: String
    /// Why it is wrong, with where.
    public var reason: String

    public init(_ subject: String, _ reason: String) {
        self.subject = subject
        self.reason = reason
    }

    public var description: String { "\(subject): \(reason)" }
}
