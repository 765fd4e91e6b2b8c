/// The frames intercept holds, oldest first, with the keys to forward or drop them.
enum InterceptQueueOverlay {
    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: layout.headingRow, style: heading)
        grid.write(
            "intercept \(state.intercept ? "on" : "off") · \(state.heldFrames.count) held", row: layout.headingRow,
            column: 1, style: heading)
        guard !state.heldFrames.isEmpty else {
            grid.write(
                state.intercept ? "no frame held yet" : "intercept is off: i turns it on", row: layout.listTop + 1,
                column: 2, style: CellStyle(.dim))
            return
        }
        let height = layout.hintRow - layout.listTop
        let columns = ListColumns(width: grid.columns, messages: false)
        let selection = min(state.overlaySelection, state.heldFrames.count - 1)
        let top = max(0, min(selection - height / 2, state.heldFrames.count - height))
        for line in 0..<height {
            let index = top + line
            guard index < state.heldFrames.count else { break }
            let held = state.heldFrames[index]
            let row = layout.listTop + line
            guard let frame = state.frames.row(held.sequence) else {
                grid.write("hold \(held.holdID): (no longer in the list)", row: row, column: 1)
                continue
            }
            FrameListView.drawRow(
                frame, preview: state.frames.preview(held.sequence), state: state, columns: columns, into: &grid,
                gridRow: row,
                selected: index == selection)
        }
    }
}
