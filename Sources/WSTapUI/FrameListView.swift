import WSTapCore

/// The frame list: a heading row, then one row per frame in the window, the cursor reversed.
///
/// Columns: marker, time, connection, direction, opcode, FIN, RSV1-3, MASK (key), length, preview.
enum FrameListView {
    struct Columns {
        static let marker = 0
        static let time = 2
        static let connection = 15
        static let connectionWidth = 5
        static let arrow = 21
        static let opcode = 23
        static let opcodeWidth = 12
        static let fin = 36
        static let rsv = 38
        static let mask = 42
        static let length = 51
        static let lengthWidth = 8
        static let preview = 60
    }

    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: layout.headingRow, style: heading)
        let titles: [(Int, String)] = [
            (Columns.time, "time"), (Columns.connection, " conn"), (Columns.arrow, "↔"), (Columns.opcode, "opcode"),
            (Columns.fin, "F"), (Columns.rsv, "RSV"), (Columns.mask, "mask"), (Columns.length, "  length"),
            (Columns.preview, "payload"),
        ]
        for (column, title) in titles { grid.write(title, row: layout.headingRow, column: column, style: heading) }
        let count = state.visibleCount
        if count == 0 {
            let message =
                state.filter != nil
                ? "no frame matches the filter (f changes it, Esc clears it)"
                : state.framesSeen == 0 ? "no frames yet: waiting for traffic" : "no frames shown"
            grid.write(message, row: layout.listTop + 1, column: 2, style: CellStyle(.dim))
            return
        }
        let top = state.topPosition
        for line in 0..<layout.listHeight {
            let position = top + line
            guard position < count else { break }
            let sequence = state.sequence(at: position)
            guard let row = state.frames.row(sequence) else { continue }
            drawRow(
                row, preview: state.frames.preview(sequence), state: state, into: &grid,
                gridRow: layout.listTop + line, selected: sequence == state.selected)
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
        _ row: FrameRow, preview: ArraySlice<UInt8>, state: UIState, into grid: inout CellGrid, gridRow: Int,
        selected: Bool
    ) {
        var style = style(for: row)
        if selected { style = style.reversed }
        grid.fill(row: gridRow, style: style)
        let (marker, markerRole) = self.marker(row)
        grid.write(
            String(marker), row: gridRow, column: Columns.marker,
            style: CellStyle(markerRole, style.attributes.union(.bold)))
        grid.write(
            CivilDate.timeOfDay(row.wallSeconds, offsetSeconds: state.utcOffsetSeconds), row: gridRow,
            column: Columns.time, style: style)
        grid.write(
            rightAligned("#\(row.connection)", Columns.connectionWidth), row: gridRow, column: Columns.connection,
            style: style)
        grid.write(row.direction.arrow, row: gridRow, column: Columns.arrow, style: style)
        let name = row.isHybi00 ? "h00 " + row.kindName : row.opcode.name
        grid.write(padded: name, row: gridRow, column: Columns.opcode, width: Columns.opcodeWidth, style: style)
        if row.isHybi00 {
            let framing = row.flags.contains(.hybi00NewFraming) ? "new" : "old"
            grid.write("- \(framing) 0x\(HexByte.text(row.firstByte))", row: gridRow, column: Columns.fin, style: style)
        } else {
            grid.write(row.fin ? "1" : "0", row: gridRow, column: Columns.fin, style: style)
            let bits = row.reservedBits
            grid.write(
                (bits.contains(.rsv1) ? "1" : "0") + (bits.contains(.rsv2) ? "1" : "0")
                    + (bits.contains(.rsv3) ? "1" : "0"), row: gridRow, column: Columns.rsv, style: style)
            grid.write(row.maskingKey?.hex ?? "-", row: gridRow, column: Columns.mask, style: style)
        }
        grid.write(
            rightAligned(ByteCountText.compact(row.payloadLength, width: Columns.lengthWidth), Columns.lengthWidth),
            row: gridRow, column: Columns.length, style: style)
        let room = grid.columns - Columns.preview
        if room > 0 {
            var text = PreviewText.make(row, preview, maxCharacters: room)
            if row.hasViolations {
                text = "!! " + row.violations.map(\.rawValue).joined(separator: ",") + " " + text
            }
            grid.write(text, row: gridRow, column: Columns.preview, style: style)
        }
    }

    /// `~` read again in another framing, `!` violation, `H` held, `+` injected or edited, `x` dropped,
    /// `=` released.
    static func marker(_ row: FrameRow) -> (Character, ColourRole) {
        if row.flags.contains(.superseded) { return ("~", .dim) }
        if row.hasViolations { return ("!", .violation) }
        switch row.disposition {
        case .held: return ("H", .held)
        case .injected, .edited: return ("+", .injected)
        case .dropped: return ("x", .held)
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
