/// Why a recording cannot be exported: one line saying what and where.
public struct ExportError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
