/// A screen that only remembers what it was shown: for tests and benchmarks.
public final class TestScreen: Screen {
    /// The size the screen pretends to have (see ``resize(columns:rows:)``).
    public private(set) var size: ScreenSize
    /// The last grid presented.
    public private(set) var grid: CellGrid
    /// How many grids were presented.
    public private(set) var presentCount = 0

    /// A screen of this size that has shown nothing yet (its grid blank).
    public init(columns: Int, rows: Int) {
        size = ScreenSize(columns: columns, rows: rows)
        grid = CellGrid(columns: columns, rows: rows)
    }

    /// Keeps `grid` as the last grid shown and counts it.
    public func present(_ grid: CellGrid) {
        self.grid = grid
        presentCount += 1
    }

    /// Changes the size, as a terminal resize would.
    public func resize(columns: Int, rows: Int) {
        size = ScreenSize(columns: columns, rows: rows)
    }
}
