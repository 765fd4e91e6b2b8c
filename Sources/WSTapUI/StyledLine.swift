/// A line of text in pieces of different styles.
struct StyledLine: Hashable, Sendable {
    var pieces: [(text: String, style: CellStyle)]

    init(_ text: String = "", _ style: CellStyle = .normal) {
        pieces = text.isEmpty ? [] : [(text, style)]
    }

    mutating func add(_ text: String, _ style: CellStyle = .normal) {
        pieces.append((text, style))
    }

    static func == (lhs: StyledLine, rhs: StyledLine) -> Bool {
        lhs.pieces.map(\.text) == rhs.pieces.map(\.text) && lhs.pieces.map(\.style) == rhs.pieces.map(\.style)
    }

    func hash(into hasher: inout Hasher) {
        for piece in pieces {
            hasher.combine(piece.text)
            hasher.combine(piece.style)
        }
    }

    /// Draws the line on a grid row from a column.
    func draw(into grid: inout CellGrid, row: Int, column: Int, limit: Int? = nil) {
        var at = column
        for piece in pieces { at = grid.write(piece.text, row: row, column: at, style: piece.style, limit: limit) }
    }
}
