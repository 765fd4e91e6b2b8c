import WSTapCore

/// The connections list: id, client, target, variant, subprotocol, state, frame counts, close code.
enum ConnectionsOverlay {
    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: layout.headingRow, style: heading)
        grid.write(
            "   id  client                 target                          variant  subproto  state    "
                + "c→s   s→c  close", row: layout.headingRow, column: 0, style: heading)
        let ids = state.connectionOrder
        guard !ids.isEmpty else {
            grid.write("no connections yet", row: layout.listTop + 1, column: 2, style: CellStyle(.dim))
            return
        }
        let selection = min(state.overlaySelection, ids.count - 1)
        // The selected connection's close (codes, reason, error) in full below the list when its row cuts it.
        var details: [String] = []
        if let summary = state.connections[ids[selection]], CharacterWidth.of(line(summary)) > grid.columns {
            let whole =
                "#\(summary.id) \(summary.stateName) · c→s \(summary.framesClientToServer) · "
                + "s→c \(summary.framesServerToClient) · close \(closeText(summary))"
            let words = DetailPane.textLines(whole, width: grid.columns - 2)
            details = words.prefix(3).map { $0.pieces.map(\.text).joined() }
        }
        let height = max(1, layout.hintRow - layout.listTop - details.count)
        let top = max(0, min(selection - height / 2, ids.count - height))
        for line in 0..<height {
            let index = top + line
            guard index < ids.count, let summary = state.connections[ids[index]] else { continue }
            var style = CellStyle(summary.isOpen ? .normal : .dim)
            if summary.error != nil { style = CellStyle(.violation) }
            if index == selection { style = style.reversed }
            let row = layout.listTop + line
            grid.fill(row: row, style: style)
            var text = self.line(summary)
            if CharacterWidth.of(text) > grid.columns {
                text = String(text.prefix(grid.columns - 1)) + "…"
            }
            grid.write(text, row: row, column: 0, style: style)
        }
        for (index, detail) in details.enumerated() {
            let row = layout.hintRow - details.count + index
            guard row > layout.listTop else { continue }
            grid.fill(row: row, style: CellStyle(.normal))
            grid.write(" " + detail, row: row, column: 0, style: CellStyle(.close, [.bold]))
        }
    }

    /// A connection's row, whole (the close reason and error as long as they are).
    static func line(_ summary: ConnectionSummary) -> String {
        FrameListView.rightAligned("#\(summary.id)", 5) + "  " + fit(summary.clientAddress, 22) + " "
            + ConnectionSummary.fitted(summary.target, 31) + " " + fit(summary.variant.rawValue, 8) + " "
            + fit(summary.subprotocol ?? "-", 9) + " " + fit(summary.stateName, 6) + " "
            + FrameListView.rightAligned("\(summary.framesClientToServer)", 5) + " "
            + FrameListView.rightAligned("\(summary.framesServerToClient)", 5) + "  " + closeText(summary)
    }

    /// The close codes (client/server), the reason and the error.
    static func closeText(_ summary: ConnectionSummary) -> String {
        let close = [summary.clientCloseCode, summary.serverCloseCode].compactMap { $0 }.map { "\($0.rawValue)" }
        var text = close.isEmpty ? "-" : close.joined(separator: "/")
        if !summary.closeReason.isEmpty { text += " \"\(summary.closeReason)\"" }
        if let error = summary.error { text += " " + error }
        return text
    }

    static func fit(_ text: String, _ width: Int) -> String {
        if text.count > width { return String(text.prefix(width - 1)) + "…" }
        return text + String(repeating: " ", count: width - text.count)
    }
}
