/// An off-screen grid of cells that a screen is drawn into. Rendering writes text into it; a backend
/// shows it. Writing clips at the grid's edges and keeps wide characters whole.
public struct CellGrid: Hashable, Sendable {
    /// Width in cells.
    public let columns: Int
    /// Height in cells.
    public let rows: Int
    /// Row-major cells.
    public private(set) var cells: [Cell]

    /// A grid of this size (negative counts as 0) with every cell set to `fill` (blank by default).
    public init(columns: Int, rows: Int, fill: Cell = .blank) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        cells = Array(repeating: fill, count: self.columns * self.rows)
    }

    /// A blank grid of this size.
    public init(size: ScreenSize) {
        self.init(columns: size.columns, rows: size.rows)
    }

    /// The grid's width and height.
    public var size: ScreenSize { ScreenSize(columns: columns, rows: rows) }

    /// The cell at a row and column (both from 0); a blank outside the grid.
    public subscript(row: Int, column: Int) -> Cell {
        guard row >= 0, row < rows, column >= 0, column < columns else { return .blank }
        return cells[row * columns + column]
    }

    /// Fills columns `from..<to` of a row with spaces in a style.
    public mutating func fill(row: Int, from: Int = 0, to: Int? = nil, style: CellStyle = .normal) {
        guard row >= 0, row < rows else { return }
        let end = min(to ?? columns, columns)
        var column = max(0, from)
        while column < end {
            put(Cell(" ", style: style), row: row, column: column)
            column += 1
        }
    }

    /// Changes the style of columns `from..<to` of a row, keeping the characters.
    public mutating func restyle(row: Int, from: Int = 0, to: Int? = nil, _ transform: (CellStyle) -> CellStyle) {
        guard row >= 0, row < rows else { return }
        let end = min(to ?? columns, columns)
        for column in max(0, from)..<max(max(0, from), end) {
            cells[row * columns + column].style = transform(cells[row * columns + column].style)
        }
    }

    /// Writes text like ``write(_:row:column:style:limit:)``; text that does not fit ends with `…` in the
    /// last column, so that a cut shows.
    @discardableResult
    public mutating func write(
        cutting text: some StringProtocol, row: Int, column: Int, style: CellStyle = .normal, limit: Int? = nil
    ) -> Int {
        let end = min(limit ?? columns, columns)
        guard CharacterWidth.of(text) > end - column, end - column > 1 else {
            return write(text, row: row, column: column, style: style, limit: end)
        }
        let stop = write(text, row: row, column: column, style: style, limit: end - 1)
        return write("…", row: row, column: stop, style: style, limit: end)
    }

    /// Writes text from a column, clipped at column `limit` (the grid's width by default). Control
    /// characters are drawn as `·`. Returns the column after the last one written.
    @discardableResult
    public mutating func write(
        _ text: some StringProtocol, row: Int, column: Int, style: CellStyle = .normal, limit: Int? = nil
    ) -> Int {
        guard row >= 0, row < rows else { return column }
        let end = min(limit ?? columns, columns)
        var at = column
        for character in text {
            if at >= end { break }
            var shown = character
            var width = CharacterWidth.of(character)
            if width < 0 {
                shown = "·"
                width = 1
            }
            if width == 0 { continue }
            if at < 0 {
                at += width
                continue
            }
            if at + width > end {
                // A wide character that does not fit: the rest of the space stays blank.
                put(Cell(" ", style: style), row: row, column: at)
                at += 1
                break
            }
            put(Cell(shown, width: UInt8(width), style: style), row: row, column: at)
            if width == 2 { put(Cell(" ", width: 0, style: style), row: row, column: at + 1) }
            at += width
        }
        return at
    }

    /// Writes text padded with spaces (or cut) to exactly `width` columns.
    @discardableResult
    public mutating func write(padded text: some StringProtocol, row: Int, column: Int, width: Int, style: CellStyle)
        -> Int
    {
        let end = write(text, row: row, column: column, style: style, limit: column + width)
        fill(row: row, from: end, to: column + width, style: style)
        return column + width
    }

    private mutating func put(_ cell: Cell, row: Int, column: Int) {
        let index = row * columns + column
        // Overwriting half of a wide character blanks its other half.
        if cells[index].width == 0, column > 0, cells[index - 1].width == 2 {
            cells[index - 1] = Cell(" ", style: cells[index - 1].style)
        }
        if cells[index].width == 2, cell.width != 2, column + 1 < columns {
            cells[index + 1] = Cell(" ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }

    // MARK: Snapshots

    /// The characters, one line per row, each ended by `edge` so trailing spaces stay visible.
    public func text(edge: Character = "|") -> String {
        var out = ""
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = cells[row * columns + column]
                if cell.width != 0 { out.append(cell.character) }
            }
            out.append(edge)
            out.append("\n")
        }
        return out
    }

    /// One letter per cell naming its colour role (upper case when reversed), one line per row.
    public func styleMap() -> String {
        var out = ""
        for row in 0..<rows {
            for column in 0..<columns {
                let style = cells[row * columns + column].style
                let code = style.colour.code
                if style.attributes.contains(.reverse) {
                    out.append(code == "." ? "#" : Character(code.uppercased()))
                } else {
                    out.append(code)
                }
            }
            out.append("\n")
        }
        return out
    }

    /// The text of one row, without the trailing spaces (for tests and searching the screen).
    public func line(_ row: Int) -> String {
        guard row >= 0, row < rows else { return "" }
        var out = ""
        for column in 0..<columns {
            let cell = cells[row * columns + column]
            if cell.width != 0 { out.append(cell.character) }
        }
        while out.last == " " { out.removeLast() }
        return out
    }
}
