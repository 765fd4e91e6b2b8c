/// The size of a terminal in character cells.
public struct ScreenSize: Hashable, Sendable {
    /// Width in cells (never negative).
    public var columns: Int
    /// Height in cells (never negative).
    public var rows: Int

    /// A size; negative values count as 0.
    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
    }
}
