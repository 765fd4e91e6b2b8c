/// A clear, one-line complaint about user input: what was wrong, where, and why.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What input it was (a flag, a file, hex input...).
    public var subject: String
    /// Why it is wrong, with where.
    public var reason: String

    /// A complaint about `subject` (a flag, a file...), saying why.
    public init(_ subject: String, _ reason: String) {
        self.subject = subject
        self.reason = reason
    }

    /// `subject: reason`, such as `--close-code: 70000 is out of range: a close code is 0-65535`.
    public var description: String { "\(subject): \(reason)" }
}
