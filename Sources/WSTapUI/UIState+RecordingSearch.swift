import WSTapCore

/// Searching the recording behind `wstap view`: the state asks the glue with an effect, and the glue's
/// reports move the cursor (or say why not).
extension UIState {
    /// Asks the glue to search the recording from the selected row on.
    mutating func searchRecording(_ query: SearchQuery, forward: Bool) -> [UIEffect] {
        recordingSearchID += 1
        recordingSearchRunning = true
        var from = selected
        // In the message view, a search forward starts after the selected message's last frame, so that n
        // does not find the same message again.
        if forward, showsMessages, let selected, let number = messages.number(startingAt: selected),
            let entry = messages.entry(number: number)
        {
            from = entry.lastSequence
        }
        let request = RecordingSearchRequest(
            id: recordingSearchID, text: query.typed, from: from, forward: forward, filter: filter,
            shown: frames.firstSequence..<max(frames.firstSequence, visibleEnd))
        notice = "searching the recording for \"\(query.typed)\"… (Esc stops)"
        return [.searchRecording(request)]
    }

    /// Esc while the recording is searched.
    mutating func stopRecordingSearch() -> [UIEffect] {
        recordingSearchRunning = false
        notice = "search stopped"
        return [.stopRecordingSearch]
    }

    /// Takes in the glue's report on the current search (reports on an older one are ignored).
    mutating func recordingSearchReported(_ report: RecordingSearchReport) {
        guard recordingSearchRunning, report.id == recordingSearchID else { return }
        let text = search ?? ""
        switch report {
        case .progress(_, let looked, let total):
            let percent = total > 0 ? min(100, looked * 100 / total) : 100
            notice =
                "searching the recording for \"\(text)\"… \(percent)% of \(CountWords.of(total, "frame")) (Esc stops)"
        case .found(_, let sequence, let offset, let wrapped):
            recordingSearchRunning = false
            guard let row = rowShowing(sequence), let position = position(of: row) else {
                notice = "/\(text): frame #\(sequence + 1) matches, but the list does not show it any more"
                return
            }
            moveCursor(toPosition: position)
            let frame = row == sequence ? "" : " (frame #\(sequence + 1))"
            let place =
                offset.map { "byte \($0) (whole payload, read from the recording)" }
                ?? "in its row: \(frames.row(sequence)?.rowWords ?? "")"
            notice = (wrapped ? "search wrapped · " : "") + "/\(text): \(itemName(row))\(frame), \(place)"
        case .notFound(_, let looked):
            recordingSearchRunning = false
            notice =
                "not found: \"\(text)\" in the whole payloads of the \(CountWords.of(looked, "frame")) the list shows"
        case .failed(_, let reason):
            recordingSearchRunning = false
            notice = "search stopped: \(reason)"
        }
    }

    /// The list row a frame is on: the frame itself, or in the message view the message it belongs to.
    private func rowShowing(_ sequence: Int) -> Int? {
        guard showsMessages else { return sequence }
        guard let row = frames.row(sequence),
            let number = messages.number(
                containing: sequence, connection: row.connection, direction: row.direction, rows: frames),
            let entry = messages.entry(number: number)
        else { return nil }
        return entry.firstSequence
    }
}
