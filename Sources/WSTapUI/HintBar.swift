/// The bottom line: the prompt being typed, a notice, or the keys that work here.
enum HintBar {
    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let row = layout.hintRow
        let style = CellStyle(.hintBar, [.reverse])
        grid.fill(row: row, style: style)
        if let prompt = state.prompt {
            let end = grid.write(prompt.label + prompt.text, row: row, column: 0, style: style.bold)
            grid.write("▏", row: row, column: end, style: style.bold)
            var help =
                prompt.purpose == .search
                ? "  re:PATTERN regex · Enter find · Esc cancel" : "  Enter apply · Esc cancel"
            if prompt.recall != nil, prompt.text != prompt.recall {
                let withRecall = "  ↑ last search ·" + help.dropFirst()
                if end + 1 + CharacterWidth.of(withRecall) < grid.columns { help = withRecall }
            }
            if end + 1 + CharacterWidth.of(help) < grid.columns {
                grid.write(help, row: row, column: grid.columns - CharacterWidth.of(help), style: style)
            }
            return
        }
        if let notice = state.notice {
            grid.write(" " + notice, row: row, column: 0, style: style.bold)
            return
        }
        // Whole hints only, most useful first: one that does not fit is left out rather than cut, and a
        // shorter one after it may still fit.
        var line = ""
        for hint in hints(state) {
            let next = line + (line.isEmpty ? " " : "  ") + hint
            if CharacterWidth.of(next) > grid.columns { continue }
            line = next
        }
        grid.write(line, row: row, column: 0, style: style)
    }

    static func hints(_ state: UIState) -> [String] {
        if state.composer != nil {
            return ["Enter send", "Esc close", "Tab/↑↓ field", "Space/←→ change", "type to edit"]
        }
        switch state.overlay {
        case .help: return ["any key closes help", "q quit"]
        case .connections: return ["↑↓ move", "Enter show its frames", "h handshake", "Esc back", "q quit"]
        case .handshake: return ["↑↓ PgUp/PgDn scroll", "Esc/h back", "q quit"]
        case .repeater:
            return ["Enter send", "Tab text/hex/JSON", "↑↓ earlier sends", "^N/^P tabs", "^W close tab", "Esc back"]
        case .interceptQueue:
            return ["↑↓ move", "Enter/f forward", "x drop", "e edit", "A forward all", "i intercept", "Esc back"]
        case .statistics:
            return state.statisticsShowsSlowest
                ? ["↑↓ move", "Enter go to the call", "t methods", "Esc back", "q quit"]
                : ["s sort", "t slowest calls", "Esc back", "q quit"]
        case nil: break
        }
        if state.detailFocused {
            return ["↑↓ PgUp/PgDn scroll", "Tab list", "v text/json/hex", "w wire", "Esc list", "q quit"]
        }
        // In this order, 80 columns show up to "f filter" (with "s send" in client mode, up to "m messages").
        var hints = [
            "q quit", "? help", "Enter detail", "x craft", "/ search", "n/N next", "m messages", "f filter",
            "G follow", "i intercept", "c conns", "p pause", "r record", "↑↓ move", "e edit",
        ]
        if state.mode == .server { hints.removeAll { $0 == "i intercept" } }
        if state.mode == .viewer {
            // A recording cannot be sent to, held or recorded.
            hints.removeAll { ["x craft", "i intercept", "r record", "e edit"].contains($0) }
        }
        if state.mode == .client {
            // A client sends rather than intercepts; early in the line, so that narrow screens show it.
            hints.removeAll { $0 == "i intercept" }
            hints.insert("s send", at: 2)
        }
        return hints
    }
}
