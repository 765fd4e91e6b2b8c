import WSTapCore

/// The frame list: a heading row, then one row per frame in the window, the cursor reversed.
///
/// Columns: marker, time, connection, direction, opcode, FIN, RSV1-3, MASK (key), length, preview.
enum FrameListView {
    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: layout.headingRow, style: heading)
        let columns = ListColumns(width: grid.columns, messages: state.showsMessages)
        columns.drawHeading(into: &grid, row: layout.headingRow, style: heading)
        let count = state.visibleCount
        if count == 0 {
            let message =
                state.filter != nil
                ? "no \(state.showsMessages ? "message" : "frame") matches the filter (f changes it, Esc clears it)"
                : state.framesSeen == 0 ? "no frames yet: waiting for traffic" : "no frames shown"
            grid.write(message, row: layout.listTop + 1, column: 2, style: CellStyle(.dim))
            return
        }
        let top = state.topPosition
        let oldestHeld = state.oldestHeld
        for line in 0..<layout.listHeight {
            let position = top + line
            guard position < count else { break }
            let sequence = state.sequence(at: position)
            guard let row = state.frames.row(sequence) else { continue }
            if state.showsMessages {
                MessageListView.drawRow(
                    sequence: sequence, head: row, state: state, columns: columns, into: &grid,
                    gridRow: layout.listTop + line, selected: sequence == state.selected)
            } else {
                drawRow(
                    row, preview: state.frames.preview(sequence), state: state, columns: columns, into: &grid,
                    gridRow: layout.listTop + line, selected: sequence == state.selected,
                    waits: state.waitsBehindHeld(row, sequence: sequence, oldestHeld: oldestHeld),
                    lens: state.lensPreview(sequence))
            }
        }
    }

    static func style(for row: FrameRow) -> CellStyle {
        if row.flags.contains(.superseded) { return CellStyle(.dim) }
        if row.hasViolations { return CellStyle(.violation) }
        if row.isHybi00 {
            if row.flags.contains(.hybi00Close) { return CellStyle(.close) }
        } else if row.opcode == .close {
            return CellStyle(.close)
        } else if row.opcode.isControl {
            return CellStyle(.control)
        }
        return CellStyle(row.direction == .clientToServer ? .clientToServer : .serverToClient)
    }

    static func drawRow(
        _ row: FrameRow, preview: ArraySlice<UInt8>, state: UIState, columns: ListColumns, into grid: inout CellGrid,
        gridRow: Int, selected: Bool, waits: Bool = false, lens: String? = nil
    ) {
        var style = style(for: row)
        if selected { style = style.reversed }
        grid.fill(row: gridRow, style: style)
        drawCommonColumns(
            row, state: state, columns: columns, into: &grid, gridRow: gridRow, style: style, waits: waits)
        if row.isHybi00 {
            if let fin = columns[.fin] {
                let framing = row.flags.contains(.hybi00NewFraming) ? "new" : "old"
                grid.write(
                    "- \(framing) 0x\(HexByte.text(row.firstByte))", row: gridRow, column: fin, style: style,
                    limit: columns[.length])
            }
        } else {
            if let fin = columns[.fin] { grid.write(row.fin ? "1" : "0", row: gridRow, column: fin, style: style) }
            if let rsv = columns[.rsv] {
                let bits = row.reservedBits
                grid.write(
                    (bits.contains(.rsv1) ? "1" : "0") + (bits.contains(.rsv2) ? "1" : "0")
                        + (bits.contains(.rsv3) ? "1" : "0"), row: gridRow, column: rsv, style: style)
            }
            if let mask = columns[.mask] {
                grid.write(row.maskingKey?.hex ?? "-", row: gridRow, column: mask, style: style)
            }
        }
        drawLength(row.payloadLength, columns: columns, into: &grid, gridRow: gridRow, style: style)
        let room = grid.columns - columns.preview
        if room > 0 {
            // A lens's reading of the message this frame starts, else the payload.
            var text = lens ?? PreviewText.make(row, preview, maxCharacters: room)
            if row.hasViolations {
                text = "!! " + row.violations.map(\.rawValue).joined(separator: ",") + " " + text
            }
            grid.write(cutting: text, row: gridRow, column: columns.preview, style: style)
        }
    }

    /// Marker, time, connection, direction and opcode: the columns frame and message rows share.
    static func drawCommonColumns(
        _ row: FrameRow, state: UIState, columns: ListColumns, into grid: inout CellGrid, gridRow: Int,
        style: CellStyle, waits: Bool = false
    ) {
        let (marker, markerRole) = self.marker(row, waits: waits)
        if let column = columns[.marker] {
            grid.write(
                String(marker), row: gridRow, column: column,
                style: CellStyle(markerRole, style.attributes.union(.bold)))
        }
        if let column = columns[.time] {
            grid.write(
                CivilDate.timeOfDay(row.wallSeconds, offsetSeconds: state.utcOffsetSeconds), row: gridRow,
                column: column, style: style)
        }
        if let column = columns[.connection] {
            let width = ListColumns.Kind.connection.width
            grid.write(
                rightAligned("#\(row.connection)", width), row: gridRow, column: column, style: style,
                limit: column + width)
        }
        if let column = columns[.arrow] { grid.write(row.direction.arrow, row: gridRow, column: column, style: style) }
        if let column = columns[.opcode] {
            let name = row.isHybi00 ? "h00 " + row.kindName : row.opcode.name
            grid.write(
                padded: name, row: gridRow, column: column, width: ListColumns.Kind.opcode.width, style: style)
        }
    }

    /// The payload length, right-aligned in its column.
    static func drawLength(
        _ length: UInt64, columns: ListColumns, into grid: inout CellGrid, gridRow: Int, style: CellStyle
    ) {
        guard let column = columns[.length] else { return }
        let width = ListColumns.Kind.length.width
        grid.write(
            rightAligned(ByteCountText.compact(length, width: width), width), row: gridRow, column: column,
            style: style)
    }

    /// `~` read again in another framing, `!` violation, `H` held, `h` was held (decided), `w` waits behind
    /// a held frame, `+` injected or edited, `x` dropped, `=` released. ``HelpOverlay`` lists them.
    static func marker(_ row: FrameRow, waits: Bool = false) -> (Character, ColourRole) {
        if row.flags.contains(.superseded) { return ("~", .dim) }
        // Held and waiting are for now, and ask for the user (the row stays red with its violations
        // listed); `!` comes back after.
        if case .held = row.disposition, row.heldOutcome == nil { return ("H", .held) }
        if waits { return ("w", .held) }
        if row.hasViolations { return ("!", .violation) }
        switch row.disposition {
        case .held: return ("h", .held)
        case .injected, .edited, .rewritten: return ("+", .injected)
        case .dropped, .replaced, .removed: return ("x", .held)
        case .released: return ("=", .held)
        case .relayed: return (" ", style(for: row).colour)
        }
    }

    static func rightAligned(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// Two lowercase hexadecimal digits.
enum HexByte {
    static let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]

    static func text(_ byte: UInt8) -> String {
        String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
