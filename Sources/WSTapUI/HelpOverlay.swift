/// Every key, in a box over the middle of the screen: one column when they fit, two when not.
enum HelpOverlay {
    static let entries: [(String, String)] = [
        ("↑ ↓  k j", "move (stops following)"),
        ("PgUp PgDn", "move a page"),
        ("g Home", "first frame"),
        ("G End", "last frame, follow new"),
        ("Enter", "detail pane open/close"),
        ("Tab", "focus detail (↑↓ scroll)"),
        ("v", "view: auto/text/JSON/hex"),
        ("w", "wire bytes on/off"),
        ("m", "messages / frames"),
        ("a", "request ↔ its answer"),
        ("l L", "lens on/off, change it"),
        ("S", "statistics: rates, calls"),
        ("/", "search; /re:REGEX"),
        ("n N", "next / previous match"),
        ("f", "filter conn= dir= op= bad"),
        ("Esc", "close pane, clear search"),
        ("p Space", "pause / resume the list"),
        ("c", "connections list"),
        ("h", "see the handshake"),
        ("y", "repeater: edit, send again"),
        ("i", "intercept on/off"),
        ("I", "held frames: f x e A"),
        ("R", "send the selected again"),
        ("x", "composer: craft a frame"),
        ("e", "composer from the selected"),
        ("o", "hybi-00 framing old/new"),
        ("r", "recording on/off"),
        ("q", "quit"),
        ("composer:", ""),
        ("Tab S-Tab", "next / previous field, ↑↓"),
        ("Space ← →", "change the value"),
        ("Enter Esc", "send / close"),
        ("marks:", ""),
        ("H h", "held / was held, decided"),
        ("w", "waits behind a held one"),
        ("= x", "released / dropped/replaced"),
        ("+", "injected, edited, rewritten"),
        ("! ~", "violation / read again"),
    ]

    /// The entries for a mode: a client or server has no intercept; a client sends text with `s` instead.
    static func entries(for mode: SessionMode) -> [(String, String)] {
        guard mode == .client || mode == .server else { return entries }
        var shown: [(String, String)] = []
        for entry in entries {
            switch entry.0 {
            case "i": if mode == .client { shown.append(("s", "send a text message")) }
            case "I", "H h", "w", "= x", "+": break
            default: shown.append(entry)
            }
        }
        return shown
    }

    static let keyWidth = 9

    static func draw(into grid: inout CellGrid, mode: SessionMode = .proxy) {
        let entries = entries(for: mode)
        let textWidth = entries.map { CharacterWidth.of($0.1) }.max() ?? 20
        let entryWidth = keyWidth + 1 + textWidth
        let columns = entries.count + 2 <= grid.rows - 2 ? 1 : 2
        let perColumn = (entries.count + columns - 1) / columns
        let width = min(grid.columns - 2, entryWidth * columns + 3 * (columns - 1) + 4)
        let height = min(grid.rows - 2, perColumn + 2)
        let left = max(0, (grid.columns - width) / 2)
        let top = max(1, (grid.rows - height) / 2)
        let border = CellStyle(.accent, [.bold])
        let body = CellStyle(.normal)
        for row in top..<top + height { grid.fill(row: row, from: left, to: left + width, style: body) }
        let horizontal = String(repeating: "─", count: max(0, width - 2))
        grid.write("┌" + horizontal + "┐", row: top, column: left, style: border)
        grid.write("└" + horizontal + "┘", row: top + height - 1, column: left, style: border)
        for row in top + 1..<top + height - 1 {
            grid.write("│", row: row, column: left, style: border)
            grid.write("│", row: row, column: left + width - 1, style: border)
        }
        grid.write(" keys ", row: top, column: left + 2, style: border)
        let columnWidth = (width - 4) / columns
        for (index, entry) in entries.enumerated() {
            let row = top + 1 + index % perColumn
            guard row < top + height - 1 else { continue }
            let column = left + 2 + (index / perColumn) * columnWidth
            let limit = min(left + width - 1, column + columnWidth)
            grid.write(entry.0, row: row, column: column, style: CellStyle(.heading, [.bold]), limit: limit)
            grid.write(entry.1, row: row, column: column + keyWidth + 1, style: body, limit: limit)
        }
    }
}
