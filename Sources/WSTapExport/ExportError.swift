/// Why a recording cannot be exported: one line saying what and where.
public struct ExportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What cannot be exported, and where in the recording.
    public var description: String

    /// An error with this one-line explanation.
    public init(_ description: String) {
        self.description = description
    }
}
