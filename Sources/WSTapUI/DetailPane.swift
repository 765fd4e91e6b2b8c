import NIOCore
import WSTapCore

/// The detail pane for the selected frame: header diagram with values, masking key, length and its
/// encoding, close code and reason, violations with their RFC sections, the payload as text, pretty
/// JSON or a hex dump, and the wire bytes.
enum DetailPane {
    /// At most this much payload is laid out (the rest is counted, not drawn).
    static let maxShownPayload = 64 * 1024
    static let maxShownWire = 4 * 1024

    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let titleStyle = CellStyle(.heading, [.reverse, .bold])
        grid.fill(row: layout.detailTitleRow, style: titleStyle)
        guard let sequence = state.selected, let row = state.frames.row(sequence) else {
            grid.write(" no frame selected", row: layout.detailTitleRow, column: 0, style: titleStyle)
            return
        }
        let message = state.showsMessages ? state.multiFrameMessage(startingAt: sequence) : nil
        // What a lens read comes first, the frame (or message) and its raw payload below it.
        let lines =
            LensDetailLines.lines(state, sequence: sequence)
            + (message.map { MessageDetailPane.lines(state, members: $0, head: row, width: grid.columns) }
                ?? self.lines(state, sequence: sequence, row: row, width: grid.columns))
        let scroll = max(0, min(state.detailScroll, lines.count - layout.detailHeight))
        var more = ""
        if lines.count > layout.detailHeight, layout.detailHeight > 0 {
            more = " \(scroll + 1)-\(min(lines.count, scroll + layout.detailHeight))/\(lines.count) "
            grid.write(more, row: layout.detailTitleRow, column: grid.columns - more.count, style: titleStyle)
        }
        let name =
            message.map { "message (\($0.entry.frameCount) frames from #\(sequence + 1))" } ?? "frame #\(sequence + 1)"
        var title =
            " \(name) · conn \(row.connection) · "
            + (row.direction == .clientToServer ? "client → server" : "server → client") + " · "
            + CivilDate.timeOfDay(row.wallSeconds, offsetSeconds: state.utcOffsetSeconds) + " · "
            + dispositionWords(state, row: row, sequence: sequence)
        // The view's name whole or not at all (`view a` read as a view named "a").
        let viewWords = " · view \(state.payloadView.rawValue)"
        if CharacterWidth.of(title + viewWords) <= grid.columns - more.count { title += viewWords }
        if grid.columns >= 100 { title += state.detailFocused ? " · ↑↓ scroll, Tab back" : " · Tab scrolls" }
        grid.write(title, row: layout.detailTitleRow, column: 0, style: titleStyle, limit: grid.columns - more.count)
        for index in 0..<layout.detailHeight {
            guard scroll + index < lines.count else { break }
            lines[scroll + index].draw(into: &grid, row: layout.detailTop + index, column: 1)
        }
    }

    /// What became of the frame, for the title: `held, then edited`, `relayed, waits behind held frame 3`;
    /// an endpoint's own frames are `sent` or `received`.
    static func dispositionWords(_ state: UIState, row: FrameRow, sequence: Int) -> String {
        switch state.mode {
        case .client:
            return row.disposition == .relayed
                ? (row.direction == .clientToServer ? "sent" : "received") : row.disposition.name
        case .server:
            return row.disposition == .relayed
                ? (row.direction == .serverToClient ? "sent" : "received") : row.disposition.name
        case .proxy, .forward, .viewer:
            break
        }
        let oldestHeld = state.oldestHeld
        if state.waitsBehindHeld(row, sequence: sequence, oldestHeld: oldestHeld),
            let held = oldestHeld[HeldQueueKey(connection: row.connection, direction: row.direction)],
            let holdID = state.frames.row(held)?.holdID
        {
            return "waits behind held frame \(holdID)"
        }
        return row.dispositionWords
    }

    static func lines(_ state: UIState, sequence: Int, row: FrameRow, width: Int) -> [StyledLine] {
        let full = state.recent[sequence]
        let heading = CellStyle(.heading, [.bold])
        let bad = CellStyle(.violation, [.bold])
        var out: [StyledLine] = []
        var payload: [UInt8]
        let payloadHeld: Bool
        let capturedLength: Int
        if let full {
            let shown = full.readablePayload
            payload = Array(shown.readableBytesView.prefix(maxShownPayload))
            payloadHeld = true
            capturedLength = shown.readableBytes
        } else if let held = state.frames.withPayload(sequence, { (Array($0.prefix(maxShownPayload)), $0.count) }) {
            (payload, capturedLength) = held
            payloadHeld = true
        } else {
            payload = Array(state.frames.preview(sequence))
            payloadHeld = false
            capturedLength = payload.count
        }

        var diagram: [StyledLine] = []
        if row.isHybi00 {
            let framing = row.flags.contains(.hybi00NewFraming) ? "new" : "old"
            out.append(StyledLine("hybi-00 frame, \(framing) framing", heading))
            let typeDescription: String
            if row.flags.contains(.hybi00DeclaredLength) {
                typeDescription = "length-prefixed, declared length \(row.payloadLength)"
            } else {
                typeDescription = "sentinel-terminated (0xFF ends it), \(row.payloadLength) payload bytes"
            }
            out.append(StyledLine("type byte 0x\(HexByte.text(row.firstByte)) · \(row.kindName) · \(typeDescription)"))
            out.append(
                StyledLine(
                    framing == "old"
                        ? "+------+-------------------+------+   | 0x00 | UTF-8 text        | 0xFF |"
                        : "+------+----------------------+-------------+   | type | length (8 bytes, BE) | payload |"))
        } else {
            let header = row.header
            // The diagram is 64 columns wide: narrower panes go without it (the lines above say the same).
            if width > HeaderDiagram.border.count + 1 {
                diagram = HeaderDiagram.lines(header).map { StyledLine($0, CellStyle(.accent)) }
            }
            var summary = StyledLine("FIN ", heading)
            summary.add(header.fin ? "1 (final frame of its message)" : "0 (more fragments follow)")
            summary.add("  RSV ", heading)
            summary.add(FrameHeaderText.bits(header.reservedBits))
            summary.add("  opcode ", heading)
            summary.add("0x\(String(header.opcode.rawValue, radix: 16)) \(header.opcode.name)")
            out.append(summary)
            var mask = StyledLine("MASK ", heading)
            mask.add(header.maskingKey.map { "1 · key \($0.hex) (\(HexText4.spaced($0)))" } ?? "0 · no masking key")
            out.append(mask)
            var length = StyledLine("Length ", heading)
            let minimal = header.hasNonMinimalLength ? "not minimal" : "minimal"
            length.add(
                "\(CountWords.of(header.payloadLength, "byte")) · \(header.lengthEncoding.bitCount)-bit encoding (\(minimal)) · "
                    + "header \(header.size) bytes · frame \(UInt64(header.size) &+ header.payloadLength) bytes")
            out.append(length)
            if header.opcode == .close {
                var close = StyledLine("Close ", heading)
                if let code = row.closeCodeValue {
                    let reason = String(decoding: payload.dropFirst(2), as: UTF8.self)
                    close.add("code \(code.rawValue) \(code.name) · reason ")
                    close.add(reason.isEmpty ? "(none)" : "\"\(reason)\"", CellStyle(.close, [.bold]))
                } else {
                    close.add(payload.isEmpty ? "no status code (empty body)" : "body too short for a status code")
                }
                out.append(close)
            }
        }
        if let full, let error = full.inflationError {
            out.append(StyledLine("permessage-deflate: inflating failed: \(error)", bad))
        } else if row.flags.contains(.inflatedCut) {
            // A display limit, like the capture limit: said in the ordinary colour, not as a fault.
            let cut = full?.inflationCut
            let inflates = cut?.inflatedLength.map { "inflates to \(CountWords.of($0, "byte"))" } ?? "inflates to more"
            let kept = cut.map { "the first \(CountWords.of($0.limit, "byte")) of its message are kept" }
            out.append(StyledLine("permessage-deflate: the payload below is inflated; it \(inflates)"))
            out.append(
                StyledLine((kept ?? "only the start of its message is kept") + " (a display limit, not an error)"))
        } else if row.flags.contains(.inflated) {
            out.append(StyledLine("permessage-deflate: the payload below is inflated (wire bytes are compressed)"))
        }
        // Violations: with their details when the frame is still held in full.
        let violations: [(String, String, String)] =
            full.map { frame in
                frame.violations.map {
                    ($0.kind.rawValue, $0.kind.summary + detail($0), $0.kind.section(for: row.variant))
                }
            }
            ?? row.violations.map { ($0.rawValue, $0.summary, $0.section(for: row.variant)) }
        if !violations.isEmpty {
            out.append(StyledLine("Violations", bad))
            for (kind, summary, section) in violations {
                out.append(StyledLine("  ! \(kind): \(summary) [\(section)]", bad))
            }
        }
        out.append(StyledLine())
        // Payload.
        var title = StyledLine("Payload ", heading)
        let total = row.payloadLength
        var note = CountWords.of(total, "byte")
        if row.flags.contains(.inflated) {
            // The length on the wire is the compressed one; what is shown is what it inflates to.
            note =
                payloadHeld
                ? "\(CountWords.of(capturedLength, "byte")) inflated (\(total) compressed on the wire)"
                : "inflated (\(total) bytes compressed on the wire)"
        }
        if !payloadHeld {
            note += " · only the first \(payload.count) kept for older frames (the recording has them all)"
        } else if !row.flags.contains(.inflated), UInt64(capturedLength) < total {
            note += " · first \(capturedLength) captured"
        }
        if capturedLength > payload.count, payloadHeld { note += " · first \(payload.count) shown" }
        title.add(note)
        out.append(title)
        out.append(contentsOf: payloadLines(payload, view: state.payloadView, width: width, cut: !payloadHeld))
        if !diagram.isEmpty {
            out.append(StyledLine())
            out.append(contentsOf: diagram)
        }
        // Wire bytes.
        if state.showWireBytes {
            out.append(StyledLine())
            if let wire = state.wireBytes(of: sequence) {
                out.append(StyledLine("Wire bytes (\(wire.count))", heading))
                for line in HexDump.lines(wire.prefix(maxShownWire), bytesPerLine: HexDump.bytesPerLine(width: width)) {
                    out.append(StyledLine(line, CellStyle(.dim)))
                }
                if wire.count > maxShownWire {
                    out.append(StyledLine("… \(wire.count - maxShownWire) more bytes", CellStyle(.dim)))
                }
            } else if !row.isHybi00 {
                let header = row.header.bytes
                out.append(StyledLine("Wire bytes: header (\(header.count)); the payload is no longer held", heading))
                for line in HexDump.lines(header, bytesPerLine: HexDump.bytesPerLine(width: width)) {
                    out.append(StyledLine(line, CellStyle(.dim)))
                }
            }
        }
        return out
    }

    static func detail(_ violation: Violation) -> String {
        violation.detail.isEmpty ? "" : " (\(violation.detail))"
    }

    /// The payload in the chosen view; `auto` picks JSON, then text, then hex.
    static func payloadLines(_ payload: [UInt8], view: PayloadView, width: Int, cut: Bool) -> [StyledLine] {
        let text = PreviewText.validPrefix(payload[...], cut: cut)
        switch view {
        case .hex:
            return HexDump.lines(payload, bytesPerLine: HexDump.bytesPerLine(width: width)).map { StyledLine($0) }
        case .json:
            if let json = JSONPretty.lines(payload) { return json.map { StyledLine($0, CellStyle(.accent)) } }
            return [StyledLine("(not JSON" + (cut ? ", or cut short" : "") + ")", CellStyle(.dim))]
                + payloadLines(payload, view: .auto, width: width, cut: cut)
        case .text:
            let shown = text ?? String(decoding: payload, as: UTF8.self)
            var lines = textLines(shown, width: width - 2)
            if text == nil {
                lines.insert(StyledLine("(not valid UTF-8: bad bytes shown as �)", CellStyle(.dim)), at: 0)
            }
            return lines
        case .auto:
            if payload.isEmpty { return [StyledLine("(empty)", CellStyle(.dim))] }
            if !cut, let json = JSONPretty.lines(payload),
                payload.first == UInt8(ascii: "{") || payload.first == UInt8(ascii: "[")
            {
                return json.map { StyledLine($0, CellStyle(.accent)) }
            }
            if let text { return textLines(text, width: width - 2) }
            return HexDump.lines(payload, bytesPerLine: HexDump.bytesPerLine(width: width)).map { StyledLine($0) }
        }
    }

    /// Text split at line breaks and wrapped at `width` columns; control characters escaped.
    static func textLines(_ text: String, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var columns = 0
            for character in rawLine {
                var piece = String(character)
                var pieceWidth = CharacterWidth.of(character)
                if pieceWidth < 0 {
                    piece =
                        character == "\t"
                        ? "    " : "\\u{\(String(character.unicodeScalars.first?.value ?? 0, radix: 16))}"
                    pieceWidth = piece.count
                }
                if columns + pieceWidth > max(8, width) {
                    out.append(StyledLine(line))
                    line = ""
                    columns = 0
                }
                line += piece
                columns += pieceWidth
            }
            out.append(StyledLine(line))
        }
        return out
    }
}

/// Reserved bits as `RSV1 0 RSV2 0 RSV3 0`.
enum FrameHeaderText {
    static func bits(_ bits: ReservedBits) -> String {
        "\(bits.contains(.rsv1) ? 1 : 0)\(bits.contains(.rsv2) ? 1 : 0)\(bits.contains(.rsv3) ? 1 : 0)"
    }
}
