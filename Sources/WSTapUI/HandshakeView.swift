/// The handshake view (`h`): a connection's opening handshake over the whole list area, scrolled with the
/// arrow keys.
enum HandshakeView {
    static func draw(_ state: UIState, connection: UInt64, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: layout.headingRow, style: heading)
        let target = state.connections[connection]?.target ?? ""
        grid.write(
            cutting: " handshake of connection #\(connection)" + (target.isEmpty ? "" : " · \(target)"),
            row: layout.headingRow, column: 0, style: heading)
        guard let opened = state.handshakes[connection] else {
            grid.write(
                "connection #\(connection): its handshake was not seen (it opened before the UI started, or it failed)",
                row: layout.listTop + 1, column: 2, style: CellStyle(.dim), limit: grid.columns)
            return
        }
        let lines = HandshakeLines.lines(opened, width: grid.columns - 2)
        let height = max(1, layout.hintRow - layout.listTop)
        let top = max(0, min(state.handshakeScroll, lines.count - height))
        for index in 0..<height {
            guard top + index < lines.count else { break }
            lines[top + index].draw(into: &grid, row: layout.listTop + index, column: 1, limit: grid.columns)
        }
    }

    /// How far the view can scroll at a screen size.
    static func maxScroll(_ state: UIState, connection: UInt64) -> Int {
        guard let opened = state.handshakes[connection] else { return 0 }
        let layout = state.layout
        let lines = HandshakeLines.lines(opened, width: state.size.columns - 2)
        return max(0, lines.count - max(1, layout.hintRow - layout.listTop))
    }
}
