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
        let height = layout.hintRow - layout.listTop
        let selection = min(state.overlaySelection, ids.count - 1)
        let top = max(0, min(selection - height / 2, ids.count - height))
        for line in 0..<height {
            let index = top + line
            guard index < ids.count, let summary = state.connections[ids[index]] else { continue }
            var style = CellStyle(summary.isOpen ? .normal : .dim)
            if summary.error != nil { style = CellStyle(.violation) }
            if index == selection { style = style.reversed }
            let row = layout.listTop + line
            grid.fill(row: row, style: style)
            let close = [summary.clientCloseCode, summary.serverCloseCode].compactMap { $0 }.map { "\($0.rawValue)" }
            var text =
                FrameListView.rightAligned("#\(summary.id)", 5) + "  " + fit(summary.clientAddress, 22) + " "
                + ConnectionSummary.fitted(summary.target, 31) + " " + fit(summary.variant.rawValue, 8) + " "
                + fit(summary.subprotocol ?? "-", 9) + " " + fit(summary.stateName, 6) + " "
                + FrameListView.rightAligned("\(summary.framesClientToServer)", 5) + " "
                + FrameListView.rightAligned("\(summary.framesServerToClient)", 5) + "  "
                + (close.isEmpty ? "-" : close.joined(separator: "/"))
            if !summary.closeReason.isEmpty { text += " \"\(summary.closeReason)\"" }
            if let error = summary.error { text += " " + error }
            grid.write(text, row: row, column: 0, style: style)
        }
    }

    static func fit(_ text: String, _ width: Int) -> String {
        if text.count > width { return String(text.prefix(width - 1)) + "…" }
        return text + String(repeating: " ", count: width - text.count)
    }
}
