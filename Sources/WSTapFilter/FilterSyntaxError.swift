/// Why a filter expression does not parse: what was expected, and where (a column counted from 1).
public struct FilterSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The column (1-based, in characters) where the problem is.
    public var column: Int
    /// What is wrong there.
    public var reason: String

    /// An error at `column`.
    public init(column: Int, _ reason: String) {
        self.column = column
        self.reason = reason
    }

    /// `column 7: ...`
    public var description: String { "column \(column): \(reason)" }

    /// The expression with a caret under the column, then the reason: for a terminal.
    public func pointing(into expression: String) -> String {
        expression + "\n" + String(repeating: " ", count: max(0, column - 1)) + "^ " + reason
    }
}
