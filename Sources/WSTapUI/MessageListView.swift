import WSTapCore

/// A row of the message list: time, connection, direction and opcode of the message's first frame, how
/// many frames it took (`…` while its FIN has not come, `!` when a new message cut it off), its total
/// length, the start of its payload across its frames, and a violation marker if any frame had one.
enum MessageListView {
    static func drawRow(
        sequence: Int, head: FrameRow, state: UIState, columns: ListColumns, into grid: inout CellGrid,
        gridRow: Int, selected: Bool
    ) {
        // A message of one frame that is complete is drawn as that frame.
        guard let number = state.messages.number(startingAt: sequence),
            let entry = state.messages.entry(number: number),
            entry.frameCount > 1 || !entry.flags.isSuperset(of: .complete)
        else {
            FrameListView.drawRow(
                head, preview: state.frames.preview(sequence), state: state, columns: columns, into: &grid,
                gridRow: gridRow, selected: selected, lens: state.lensPreview(sequence))
            if let column = columns[.frames] {
                grid.write(
                    FrameListView.rightAligned("1", ListColumns.Kind.frames.width), row: gridRow, column: column,
                    style: selected ? FrameListView.style(for: head).reversed : FrameListView.style(for: head))
            }
            return
        }
        let members = MessageFrames(entry, in: state.frames)
        var row = head
        row.violationKinds = members.violationKinds(state.frames)
        row.payloadLength = entry.length
        if !entry.flags.contains(.complete) || !members.allFound { row.flags.remove(.payloadComplete) }
        var style = FrameListView.style(for: row)
        if selected { style = style.reversed }
        grid.fill(row: gridRow, style: style)
        FrameListView.drawCommonColumns(
            row, state: state, columns: columns, into: &grid, gridRow: gridRow, style: style)
        if let column = columns[.frames] {
            var count = "\(entry.frameCount)"
            if entry.flags.contains(.abandoned) {
                count += "!"
            } else if !entry.flags.contains(.complete) {
                count += "…"
            }
            grid.write(
                FrameListView.rightAligned(count, ListColumns.Kind.frames.width), row: gridRow, column: column,
                style: style)
        }
        FrameListView.drawLength(entry.length, columns: columns, into: &grid, gridRow: gridRow, style: style)
        let room = grid.columns - columns.preview
        guard room > 0 else { return }
        let preview = members.previewBytes(state.frames)
        var text = state.lensPreview(sequence) ?? PreviewText.make(row, preview[...], maxCharacters: room)
        if row.hasViolations {
            text = "!! " + row.violations.map(\.rawValue).joined(separator: ",") + " " + text
        }
        grid.write(cutting: text, row: gridRow, column: columns.preview, style: style)
    }
}
