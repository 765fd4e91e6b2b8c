/// Where a cell grid is shown. The curses backend draws on the terminal (writing only the cells that
/// changed); ``TestScreen`` keeps the grid in memory for tests.
public protocol Screen: AnyObject {
    /// The current size; a grid for ``present(_:)`` should have it.
    var size: ScreenSize { get }
    /// Shows the grid.
    func present(_ grid: CellGrid)
}
