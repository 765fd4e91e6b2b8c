/// Every key, in a box over the middle of the screen.
enum HelpOverlay {
    static let entries: [(String, String)] = [
        ("↑ ↓  k j", "move the cursor (stops following)"),
        ("PgUp PgDn", "move a page"),
        ("g Home", "first frame"),
        ("G End", "last frame, follow new ones"),
        ("Enter", "open or close the detail pane"),
        ("Tab", "focus the detail pane (↑↓ PgUp PgDn scroll)"),
        ("v", "payload view: auto, text, JSON, hex"),
        ("w", "wire bytes in the detail pane on/off"),
        ("/", "search the payload previews"),
        ("n N", "next / previous match"),
        ("f", "filter: conn=N dir=c2s|s2c op=text,close bad TEXT"),
        ("Esc", "close the pane, clear the search or filter"),
        ("p Space", "pause / resume the list"),
        ("c", "connections (Enter shows one's frames)"),
        ("i", "intercept on/off (new frames are held)"),
        ("I", "intercept queue: forward, drop"),
        ("R", "send the selected frame again (repeater)"),
        ("o", "hybi-00 framing old/new for the frame's connection"),
        ("r", "recording on/off (asks for a file name)"),
        ("q", "quit"),
    ]

    /// The entries for a mode: a client has no intercept, and sends text with `s` instead.
    static func entries(for mode: SessionMode) -> [(String, String)] {
        guard mode == .client else { return entries }
        var shown: [(String, String)] = []
        for entry in entries {
            switch entry.0 {
            case "i": shown.append(("s", "type a text message, Enter sends it"))
            case "I": break
            default: shown.append(entry)
            }
        }
        return shown
    }

    static func draw(into grid: inout CellGrid, mode: SessionMode = .proxy) {
        let entries = entries(for: mode)
        let keyWidth = 11
        let textWidth = entries.map { CharacterWidth.of($0.1) }.max() ?? 20
        let width = min(grid.columns - 2, keyWidth + textWidth + 5)
        let height = min(grid.rows - 2, entries.count + 2)
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
        for (index, entry) in entries.enumerated() {
            let row = top + 1 + index
            guard row < top + height - 1 else { break }
            grid.write(
                entry.0, row: row, column: left + 2, style: CellStyle(.heading, [.bold]), limit: left + width - 1)
            grid.write(entry.1, row: row, column: left + 3 + keyWidth, style: body, limit: left + width - 1)
        }
    }
}
