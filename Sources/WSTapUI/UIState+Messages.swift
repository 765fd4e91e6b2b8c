import WSTapCore

extension UIState {
    /// Switches between the frame list and the message list; the cursor stays on the same traffic (the
    /// message of the selected frame, or the first frame of the selected message).
    mutating func toggleMessages() {
        showsMessages.toggle()
        let old = selected
        rebuildIndex()
        if showsMessages, let old, let row = frames.row(old),
            let number = messages.number(
                containing: old, connection: row.connection, direction: row.direction, rows: frames),
            let entry = messages.entry(number: number)
        {
            selected = entry.firstSequence
        }
        if let selected, position(of: selected) == nil {
            let count = visibleCount
            self.selected = count == 0 ? nil : sequence(at: min(position(atOrAfter: selected), count - 1))
        }
        detailScroll = 0
        settleViewport()
        notice =
            showsMessages
            ? "messages: a row per message (fragments joined), \(visibleCount) shown · m shows frames"
            : "frames: a row per frame · m shows messages"
    }

    /// The message of several frames whose first frame is `sequence`; `nil` for a frame that is a message
    /// of its own.
    func multiFrameMessage(startingAt sequence: Int) -> MessageFrames? {
        guard let number = messages.number(startingAt: sequence), let entry = messages.entry(number: number),
            entry.frameCount > 1
        else { return nil }
        return MessageFrames(entry, in: frames)
    }
}
