import WSTapCore
import WSTapInspect

/// The composer drawn over the frame list: the form's fields (two columns when there is room), the
/// payload, the recent frames, then the bytes it makes, live, as hex with their count (or why it
/// makes none).
enum ComposerOverlay {
    static let labelWidth = 11
    /// How many recent frames the list shows at once.
    static let recentRows = 5

    static func draw(_ form: ComposerForm, state: UIState, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: layout.headingRow, style: heading)
        let title = form.variant == .hybi00 ? "composer (hybi-00)" : "composer"
        grid.write("\(title) · \(form.target.words)", row: layout.headingRow, column: 1, style: heading)

        let fields = form.fields
        let tail: [ComposerField] = [.payloadSource, .payload, .recent]
        let gridFields = fields.filter { !tail.contains($0) }
        let twoColumns = grid.columns >= 70
        let perColumn = twoColumns ? (gridFields.count + 1) / 2 : gridFields.count
        let half = grid.columns / 2
        var row = layout.listTop
        for (index, field) in gridFields.enumerated() {
            let column = index < perColumn ? 1 : half + 1
            let limit = index < perColumn && twoColumns ? half : grid.columns
            drawField(
                field, form: form, state: state, into: &grid, row: row + index % perColumn, column: column, limit: limit
            )
        }
        row += perColumn + 1
        for field in tail where fields.contains(field) {
            drawField(field, form: form, state: state, into: &grid, row: row, column: 1, limit: grid.columns)
            row += 1
        }
        if form.focus == .recent, !state.craftedFrames.isEmpty {
            row = drawRecentList(form, state: state, into: &grid, row: row, bottom: layout.hintRow)
        }
        row += 1
        drawBytes(form, state: state, into: &grid, row: row, bottom: layout.hintRow)
    }

    // MARK: Fields

    private static func drawField(
        _ field: ComposerField, form: ComposerForm, state: UIState, into grid: inout CellGrid, row: Int,
        column: Int, limit: Int
    ) {
        guard row < grid.rows - 1 else { return }
        let focused = form.focus == field
        let labelStyle = focused ? CellStyle(.accent, [.bold]) : CellStyle(.heading)
        grid.write(focused ? "▸" : " ", row: row, column: column, style: labelStyle)
        grid.write(padded: field.label, row: row, column: column + 2, width: labelWidth, style: labelStyle)
        let valueColumn = column + 2 + labelWidth + 1
        let width = max(0, limit - valueColumn - 1)
        let (text, placeholder) = value(of: field, form: form, state: state)
        let shown = text.isEmpty ? (placeholder.isEmpty ? " " : placeholder) : text
        if focused, field.isText {
            drawEditedText(text, cursor: form.cursor, into: &grid, row: row, column: valueColumn, width: width)
        } else if focused {
            // A choice with nothing to choose (no open connection, nothing sent yet) still says so.
            grid.write(
                shown, row: row, column: valueColumn, style: CellStyle(.accent, [.reverse]), limit: limit)
        } else if text.isEmpty {
            grid.write(placeholder, row: row, column: valueColumn, style: CellStyle(.dim), limit: limit)
        } else {
            grid.write(text, row: row, column: valueColumn, limit: limit)
        }
        if focused, !field.isText, let hint = keyHint(field, state: state) {
            let end = valueColumn + CharacterWidth.of(shown) + 2
            if end + CharacterWidth.of(hint) < limit { grid.write(hint, row: row, column: end, style: CellStyle(.dim)) }
        }
    }

    /// The value of a field as drawn, and what to show when it is empty.
    static func value(of field: ComposerField, form: ComposerForm, state: UIState) -> (String, String) {
        switch field {
        case .connection:
            guard let connection = form.target.connection else { return ("", "no open connection") }
            let variant = state.connections[connection]?.variant ?? form.variant
            let closed = state.connections[connection]?.isOpen == false
            return (
                "\(connection) (\(variant == .hybi00 ? "hybi-00" : "RFC 6455"))"
                    + (closed ? " · closed" : ""), ""
            )
        case .direction:
            let direction = form.target.direction
            return (
                "\(direction.rawValue) (\(direction == .clientToServer ? "client → server" : "server → client"))", ""
            )
        case .opcode:
            if form.variant == .hybi00 { return (form.opcode == .close ? "close" : "text", "") }
            return ("\(form.opcode.name) (\(form.opcode.rawValue))", "")
        case .fin:
            return (form.fin ? "1" : "0", "")
        case .reservedBits:
            let bits = form.reservedBits
            return (
                "\(bits.contains(.rsv1) ? 1 : 0) \(bits.contains(.rsv2) ? 1 : 0) \(bits.contains(.rsv3) ? 1 : 0)", ""
            )
        case .mask:
            return (form.mask.rawValue, "")
        case .maskKey:
            return (form.maskKeyText, "8 hex digits")
        case .typeByte:
            return (form.typeByteText, "as the opcode says")
        case .lengthEncoding:
            return (form.length.rawValue, "")
        case .declaredLength:
            return (form.declaredLengthText, "the real length")
        case .fragments:
            return (form.fragmentsText, "1")
        case .closeCode:
            guard form.focus != .closeCode, let value = UInt16(form.closeCodeText.trimmingSpaces) else {
                return (form.closeCodeText, "no body")
            }
            return ("\(value) \(CloseCode(value).name)", "")
        case .closeReason:
            return (form.closeReasonText, "none")
        case .framing:
            return (form.framing == .old ? "old (0x00 text 0xFF)" : "new (0xFF length text)", "")
        case .payloadSource:
            return (form.payloadSource.rawValue, "")
        case .payload:
            switch form.payloadSource {
            case .text: return (form.payloadText, "type the text")
            case .hex: return (form.payloadText, "type hex digits")
            case .file:
                var text = form.payloadText
                if let loaded = form.loadedFile, loaded.path == form.payloadText.trimmingSpaces, form.focus != .payload
                {
                    text += " (\(CountWords.of(loaded.bytes.count, "byte")) read)"
                }
                return (text, "type a path; Enter reads the file")
            }
        case .recent:
            guard !state.craftedFrames.isEmpty else { return ("", "nothing sent yet") }
            let index = min(form.recentSelection, state.craftedFrames.count - 1)
            return ("\(index + 1)/\(state.craftedFrames.count) \(state.craftedFrames[index].summary)", "")
        }
    }

    private static func keyHint(_ field: ComposerField, state: UIState) -> String? {
        switch field {
        case .reservedBits: return "←→ cycle, 1 2 3 toggle"
        case .recent: return state.craftedFrames.isEmpty ? nil : "Enter sends it again, Space edits it"
        case .connection, .direction, .opcode, .mask, .lengthEncoding, .payloadSource, .framing: return "←→ Space"
        case .fin: return "Space"
        default: return nil
        }
    }

    /// A text being edited with the cursor `▏` in it; a long text is shown around the cursor.
    private static func drawEditedText(
        _ text: String, cursor: Int?, into grid: inout CellGrid, row: Int, column: Int, width: Int
    ) {
        let characters = Array(text)
        let at = min(cursor ?? characters.count, characters.count)
        let before = String(characters[..<at])
        let after = String(characters[at...])
        let room = max(0, width - 1)
        let shownBefore =
            CharacterWidth.of(before) + CharacterWidth.of(after) <= room || after.isEmpty
            ? tail(of: before, fitting: room) : tail(of: before, fitting: room / 2)
        let style = CellStyle(.accent, [.reverse])
        var end = grid.write(shownBefore, row: row, column: column, style: style, limit: column + room)
        end = grid.write("▏", row: row, column: end, style: CellStyle(.accent, [.bold]), limit: column + width)
        grid.write(after, row: row, column: end, style: style, limit: column + width)
    }

    /// The end of a text that fits a width (what is being typed stays in view).
    private static func tail(of text: String, fitting width: Int) -> String {
        guard CharacterWidth.of(text) > width, width > 1 else { return text }
        var shown = ""
        var used = 1
        for character in text.reversed() {
            let characterWidth = max(1, CharacterWidth.of(character))
            if used + characterWidth > width { break }
            shown.insert(character, at: shown.startIndex)
            used += characterWidth
        }
        return "…" + shown
    }

    // MARK: Recent frames

    private static func drawRecentList(
        _ form: ComposerForm, state: UIState, into grid: inout CellGrid, row: Int, bottom: Int
    ) -> Int {
        let count = state.craftedFrames.count
        let selection = min(form.recentSelection, count - 1)
        let first = max(0, min(selection - recentRows / 2, count - recentRows))
        var line = row
        for index in first..<min(count, first + recentRows) where line < bottom {
            let style = index == selection ? CellStyle(.accent, [.reverse]) : CellStyle(.normal)
            grid.write(
                padded: " \(index + 1). \(state.craftedFrames[index].summary)", row: line, column: 3,
                width: grid.columns - 4, style: style)
            line += 1
        }
        return line
    }

    // MARK: Bytes

    /// The bytes Enter sends, frame by frame: the chosen recent frame's, or the form's (random keys drawn
    /// from a copy of the state's generator, exactly as sending draws them).
    static func previewFrames(_ form: ComposerForm, state: UIState) -> Result<[[UInt8]], InputError> {
        if form.focus == .recent, form.recentSelection < state.craftedFrames.count {
            return .success([state.craftedFrames[form.recentSelection].bytes])
        }
        if form.needsFile, !form.payloadText.trimmingSpaces.isEmpty {
            return .failure(InputError("payload", "Enter reads \(form.payloadText.trimmingSpaces)"))
        }
        var generator = state.random
        do {
            return .success(try form.buildFrames(using: &generator))
        } catch {
            return .failure(error)
        }
    }

    /// The bytes as hex lines with offsets; frames alternate in colour so that fragments stand apart.
    private static func drawBytes(
        _ form: ComposerForm, state: UIState, into grid: inout CellGrid, row: Int, bottom: Int
    ) {
        guard row < bottom else { return }
        let frames: [[UInt8]]
        switch state.composerPreview ?? previewFrames(form, state: state) {
        case .failure(let error):
            grid.write("no bytes: ", row: row, column: 1, style: CellStyle(.violation, [.bold]))
            grid.write(error.description, row: row, column: 11, style: CellStyle(.violation))
            return
        case .success(let built):
            frames = built
        }
        let total = frames.reduce(0) { $0 + $1.count }
        let what =
            form.focus == .recent ? "a recent frame" : frames.count == 1 ? "1 frame" : "\(frames.count) frames"
        grid.write("bytes: \(total) (\(what))", row: row, column: 1, style: CellStyle(.heading, [.bold]))
        let offsetDigits = total > 0xFFFF ? 8 : 4
        let perLine = max(8, (grid.columns - 2 - offsetDigits - 2) / 3 / 8 * 8)
        let styles = [CellStyle(.normal), CellStyle(.accent)]
        var line = row + 1
        var offset = 0
        var frameIndex = 0
        var inFrame = 0
        while offset < total, line < bottom {
            if line == bottom - 1, total - offset > perLine {
                grid.write("… \(total - offset) more bytes", row: line, column: 1, style: CellStyle(.dim))
                break
            }
            let digits = String(offset, radix: 16)
            grid.write(
                String(repeating: "0", count: max(0, offsetDigits - digits.count)) + digits, row: line, column: 1,
                style: CellStyle(.dim))
            var column = 3 + offsetDigits
            for _ in 0..<min(perLine, total - offset) {
                while inFrame >= frames[frameIndex].count {
                    frameIndex += 1
                    inFrame = 0
                }
                let byte = frames[frameIndex][inFrame]
                let hex = (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                grid.write(hex, row: line, column: column, style: styles[frameIndex % 2])
                column += 3
                inFrame += 1
                offset += 1
            }
            line += 1
        }
    }
}
