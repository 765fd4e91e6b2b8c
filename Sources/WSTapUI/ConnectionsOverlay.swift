import WSTapCore

/// The connections list: id, client, target, variant, subprotocol, extensions, state, frame counts, close code.
enum ConnectionsOverlay {
    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: layout.headingRow, style: heading)
        grid.write(
            "   id  client                 target                          variant  subproto  ext      state    "
                + "c→s   s→c  close", row: layout.headingRow, column: 0, style: heading)
        let ids = state.connectionOrder
        guard !ids.isEmpty else {
            grid.write("no connections yet", row: layout.listTop + 1, column: 2, style: CellStyle(.dim))
            return
        }
        let selection = min(state.overlaySelection, ids.count - 1)
        // The selected connection's extensions and close (codes, reason, error) in full below the list when its
        // row cuts them.
        var details: [String] = []
        if let summary = state.connections[ids[selection]], CharacterWidth.of(line(summary)) > grid.columns {
            let whole =
                "#\(summary.id) \(summary.stateName) · "
                + (summary.extensions.isEmpty ? "" : "ext \(extensionsText(summary.extensions)) · ")
                + "c→s \(summary.framesClientToServer) · "
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
            + fit(summary.subprotocol ?? "-", 9) + " " + fit(extensionsText(summary.extensions), 8) + " "
            + fit(summary.stateName, 6) + " "
            + FrameListView.rightAligned("\(summary.framesClientToServer)", 5) + " "
            + FrameListView.rightAligned("\(summary.framesServerToClient)", 5) + "  " + closeText(summary)
    }

    /// The agreed extensions in a few columns: `deflate` for permessage-deflate (`deflate-` when either side
    /// compresses each message afresh), other extensions by name; `-` for none. `h` shows them whole.
    static func extensionsText(_ extensions: [ExtensionOffer]) -> String {
        guard !extensions.isEmpty else { return "-" }
        return extensions.map { offer in
            guard offer.name.lowercased() == "permessage-deflate" else { return offer.name }
            let fresh = offer.parameters.contains { $0.name.lowercased().hasSuffix("_no_context_takeover") }
            return fresh ? "deflate-" : "deflate"
        }.joined(separator: ",")
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
