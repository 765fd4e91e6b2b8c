import WSTapCore

/// The repeater (`y`): the tabs, the payload being edited (pretty JSON below it in JSON mode), and every send
/// with the frames that came back after it, grouped under it.
enum RepeaterView {
    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: layout.headingRow, style: heading)
        guard state.repeaterTab < state.repeaterTabs.count else { return }
        let tab = state.repeaterTabs[state.repeaterTab]
        let open = state.connections[tab.connection]?.isOpen ?? false
        grid.write(
            cutting: " repeater · tab \(state.repeaterTab + 1)/\(state.repeaterTabs.count) · connection "
                + "#\(tab.connection) \(tab.direction.arrow) \(open ? "open" : "closed") · \(tab.opcode.name) · "
                + tab.mode.rawValue,
            row: layout.headingRow, column: 0, style: heading)
        let lines = self.lines(state, tab: tab, width: grid.columns)
        let height = max(1, layout.hintRow - layout.listTop)
        let top = max(0, min(state.repeaterScroll, lines.count - height))
        for index in 0..<height where top + index < lines.count {
            lines[top + index].draw(into: &grid, row: layout.listTop + index, column: 0, limit: grid.columns)
        }
    }

    /// How far the view scrolls down at most.
    static func maxScroll(_ state: UIState) -> Int {
        guard state.repeaterTab < state.repeaterTabs.count else { return 0 }
        let layout = state.layout
        let count = lines(state, tab: state.repeaterTabs[state.repeaterTab], width: state.size.columns).count
        return max(0, count - max(1, layout.hintRow - layout.listTop))
    }

    static func lines(_ state: UIState, tab: RepeaterTab, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        if state.repeaterTabs.count > 1 {
            var bar = StyledLine(" ")
            for (index, other) in state.repeaterTabs.enumerated() {
                bar.add(
                    " \(index + 1) \(other.title) ",
                    index == state.repeaterTab ? CellStyle(.accent, [.reverse]) : CellStyle(.dim))
                bar.add(" ")
            }
            lines.append(bar)
        }
        var editor = StyledLine(" \(tab.mode.rawValue)> ", CellStyle(.heading, [.bold]))
        editor.add(tab.text + "▏", CellStyle(.clientToServer, [.bold]))
        lines += HandshakeLines.wrapped(editor, width: width - 1)
        if tab.mode == .json {
            if let pretty = JSONPretty.lines(Array(tab.text.utf8)) {
                lines += pretty.prefix(12).map { StyledLine("   " + $0, CellStyle(.accent)) }
                if pretty.count > 12 {
                    lines.append(StyledLine("   … (\(pretty.count - 12) more lines)", CellStyle(.dim)))
                }
            } else {
                lines.append(
                    StyledLine("   not JSON: Enter does not send it (Tab: hex, then text)", CellStyle(.violation)))
            }
        } else if tab.mode == .hex, case .failure(let error) = tab.payload() {
            lines.append(StyledLine("   \(error)", CellStyle(.violation)))
        }
        lines.append(StyledLine())
        if tab.sends.isEmpty {
            lines.append(StyledLine(" nothing sent yet: Enter sends", CellStyle(.dim)))
        }
        for (index, send) in tab.sends.enumerated() {
            let sent = PreviewText.textOrHex(
                send.payload[...], cut: false, preferText: send.opcode != .binary, maxCharacters: width)
            var line = StyledLine(" send \(index + 1) \(tab.direction.arrow) ", CellStyle(.heading, [.bold]))
            line.add("\(send.opcode.name) \(sent)", CellStyle(.clientToServer))
            lines.append(line)
            let replies = state.repliesAfter(index, of: tab)
            if replies.isEmpty { lines.append(StyledLine("     (nothing back yet)", CellStyle(.dim))) }
            for sequence in replies {
                guard let row = state.frames.row(sequence) else { continue }
                let preview = PreviewText.make(row, state.frames.preview(sequence), maxCharacters: width)
                var reply = StyledLine("     \(row.direction.arrow) ", CellStyle(.serverToClient))
                reply.add("\(row.kindName) \(preview)", CellStyle(row.opcode == .close ? .close : .serverToClient))
                lines.append(reply)
            }
        }
        return lines
    }
}
