/// A failure reported as one line (`Error: ...`) with a non-zero exit status and no usage text.
public struct CommandFailure: Error, CustomStringConvertible {
    /// The line: what failed, where and why.
    public let description: String

    /// A failure that says `description`.
    public init(_ description: String) {
        self.description = description
    }
}
