/// Draws the state into a grid of the state's size: status bar, frame list (or an overlay), detail
/// pane, hint bar. Looks only at the frames on screen.
public func render(_ state: UIState, into grid: inout CellGrid) {
    if grid.size != state.size { grid = CellGrid(size: state.size) }
    for row in 0..<grid.rows { grid.fill(row: row) }
    let layout = state.layout
    if layout.isTooSmall {
        // Word-wrapped, so that even a tiny terminal shows all of it.
        let words =
            "terminal too small (\(grid.columns)x\(grid.rows)): wstap needs \(Layout.minimumColumns)x\(Layout.minimumRows)"
            .split(separator: " ")
        var row = 0
        var column = 0
        for word in words {
            if column > 0, column + 1 + word.count > grid.columns {
                row += 1
                column = 0
            }
            if column > 0 { column += 1 }
            column = grid.write(word, row: row, column: column)
        }
        return
    }
    StatusBar.draw(state, into: &grid)
    if let form = state.composer {
        ComposerOverlay.draw(form, state: state, into: &grid, layout: layout)
        HintBar.draw(state, into: &grid, layout: layout)
        return
    }
    switch state.overlay {
    case .connections:
        ConnectionsOverlay.draw(state, into: &grid, layout: layout)
    case .interceptQueue:
        InterceptQueueOverlay.draw(state, into: &grid, layout: layout)
    case .statistics:
        StatisticsView.draw(state, into: &grid, layout: layout)
    case .handshake(let connection):
        HandshakeView.draw(state, connection: connection, into: &grid, layout: layout)
    case .repeater:
        RepeaterView.draw(state, into: &grid, layout: layout)
    case .help, nil:
        FrameListView.draw(state, into: &grid, layout: layout)
        if state.detailOpen { DetailPane.draw(state, into: &grid, layout: layout) }
    }
    HintBar.draw(state, into: &grid, layout: layout)
    if state.overlay == .help { HelpOverlay.draw(into: &grid, mode: state.mode) }
}
