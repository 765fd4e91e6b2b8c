import WSTapCore

/// The detail pane for a message of several frames: its frames with their header bits and lengths, the
/// violations any of them had, and the whole payload put back together (text, JSON or hex) while every
/// frame's payload is still held; otherwise the start of it from the previews, and a note.
enum MessageDetailPane {
    /// At most this many frames are listed one per line.
    static let maxListedFrames = 32

    static func lines(_ state: UIState, members: MessageFrames, head: FrameRow, width: Int) -> [StyledLine] {
        let heading = CellStyle(.heading, [.bold])
        let bad = CellStyle(.violation, [.bold])
        let entry = members.entry
        var out: [StyledLine] = []
        var summary = StyledLine("Message ", heading)
        var progress = "complete"
        if entry.flags.contains(.abandoned) {
            progress = "never finished: a new message started before its FIN"
        } else if !entry.flags.contains(.complete) {
            progress = "open: its FIN has not come yet"
        }
        summary.add("\(head.kindName) · \(entry.frameCount) frames · \(entry.length) bytes · \(progress)")
        out.append(summary)
        out.append(StyledLine("Frames", heading))
        for sequence in members.sequences.prefix(maxListedFrames) {
            guard let row = state.frames.row(sequence) else { continue }
            var line = StyledLine("  #\(sequence + 1) ")
            line.add(
                "\(row.opcode.name) FIN \(row.fin ? 1 : 0) RSV \(FrameHeaderText.bits(row.reservedBits)) · "
                    + CountWords.of(row.payloadLength, "byte") + (row.maskingKey.map { " · key \($0.hex)" } ?? ""),
                row.hasViolations ? bad : CellStyle(.normal))
            out.append(line)
        }
        if members.sequences.count > maxListedFrames {
            out.append(StyledLine("  … \(members.sequences.count - maxListedFrames) more", CellStyle(.dim)))
        }
        if !members.allFound {
            out.append(StyledLine("  (some of its frames are no longer held)", CellStyle(.dim)))
        }
        let kinds = members.violationKinds(state.frames)
        if kinds != 0 {
            var row = head
            row.violationKinds = kinds
            out.append(StyledLine("Violations", bad))
            for kind in row.violations {
                out.append(
                    StyledLine("  ! \(kind.rawValue): \(kind.summary) [\(kind.section(for: head.variant))]", bad))
            }
        }
        out.append(StyledLine())
        var title = StyledLine("Payload ", heading)
        let payload: [UInt8]
        let whole: Bool
        let inflated = members.sequences.contains { state.frames.row($0)?.flags.contains(.inflated) == true }
        // One byte past what is drawn tells whether the payload goes on.
        if let held = members.wholePayload(state.frames, limit: DetailPane.maxShownPayload + 1) {
            payload = Array(held.prefix(DetailPane.maxShownPayload))
            whole = true
            let frames = CountWords.of(members.sequences.count, "frame")
            var note = "\(CountWords.of(entry.length, "byte")), joined from \(frames)"
            if inflated {
                // entry.length counts the compressed bytes on the wire.
                let length = members.heldPayloadLength(state.frames)
                note =
                    (length.map { CountWords.of($0, "byte") + " " } ?? "") + "inflated, joined from \(frames) "
                    + "(\(entry.length) compressed on the wire)"
                let cut = members.sequences.contains { state.frames.row($0)?.flags.contains(.inflatedCut) == true }
                if cut { note += " · the start of it kept (display limit)" }
            }
            if held.count > payload.count { note += " · first \(payload.count) shown" }
            title.add(note)
        } else {
            payload = members.previewBytes(state.frames, limit: .max)
            whole = false
            title.add(
                "\(entry.length) bytes · only the start (\(CountWords.of(payload.count, "byte"))) is held: the frames' previews "
                    + "(the recording has the rest)")
        }
        out.append(title)
        out.append(contentsOf: DetailPane.payloadLines(payload, view: state.payloadView, width: width, cut: !whole))
        return out
    }
}
