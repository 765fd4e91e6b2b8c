import NIOCore
import WSTapCore

/// The UI's one update function: applies an event to the state and returns what the surroundings
/// should do. Pure: no I/O, no clock, no terminal.
public func reduce(_ state: inout UIState, _ event: UIEvent) -> [UIEffect] {
    switch event {
    case .key(let key):
        state.notice = nil
        let effects = state.handle(key)
        state.refreshComposerPreview()
        return effects
    case .traffic(let events):
        // By index: each event is read in place, not copied out of the array.
        for index in events.indices { state.ingest(events[index]) }
        state.afterIngest()
    case .resize(let size):
        state.size = size
        state.settleViewport()
    case .tick(let wallSeconds):
        state.now = wallSeconds
        state.rates.tick(wallSeconds: wallSeconds)
        state.lenses.tick(wallSeconds: wallSeconds)
        state.noteUnanswered()
    case .notice(let text):
        state.notice = text
    case .recordingChanged(let path):
        state.recordingPath = path
        state.recordingBehind = false
    case .recordingBehind(let behind):
        state.recordingBehind = behind && state.recordingPath != nil
    case .interceptChanged(let on):
        state.intercept = on
    case .roundTrip(let time):
        state.roundTripTime = time
    case .fileLoaded(let path, let bytes):
        state.fileLoaded(path: path, bytes: bytes)
        state.refreshComposerPreview()
    case .recordingSearch(let report):
        state.recordingSearchReported(report)
    case .sendResult(let effect, let error):
        state.sendReported(effect, error: error)
        state.refreshComposerPreview()
    }
    return []
}

extension UIState {
    /// The keys, in the order: a prompt being typed, an overlay, then the list and detail pane.
    mutating func handle(_ key: Key) -> [UIEffect] {
        if prompt != nil { return handlePromptKey(key) }
        if composer != nil { return handleComposerKey(key) }
        switch overlay {
        case .help:
            if key == .character("q") { return [.quit] }
            overlay = nil
            return []
        case .connections:
            return handleConnectionsKey(key)
        case .interceptQueue:
            return handleQueueKey(key)
        case .statistics:
            return handleStatisticsKey(key)
        case .handshake(let connection):
            return handleHandshakeKey(key, connection: connection)
        case .repeater:
            return handleRepeaterKey(key)
        case nil:
            break
        }
        if detailFocused, let handled = handleDetailKey(key) { return handled }
        if let handled = handleModeKey(key) { return handled }
        switch key {
        case .character("q"): return [.quit]
        case .character("?"), .function(1): overlay = .help
        case .up, .character("k"): moveCursor(by: -1)
        case .down, .character("j"): moveCursor(by: 1)
        case .pageUp, .control("b"): moveCursor(by: -max(1, layout.listHeight - 1))
        case .pageDown, .control("f"): moveCursor(by: max(1, layout.listHeight - 1))
        case .home, .character("g"): moveCursor(toPosition: 0)
        case .end, .character("G"): follow()
        case .enter:
            detailOpen.toggle()
            detailFocused = false
            detailScroll = 0
            settleViewport()
        case .escape:
            if recordingSearchRunning { return stopRecordingSearch() }
            if detailOpen {
                detailOpen = false
                detailFocused = false
                settleViewport()
            } else if search != nil {
                search = nil
            } else if filter != nil {
                applyFilter(nil)
                notice = "filter cleared"
            }
        case .tab:
            if detailOpen { detailFocused = true }
        case .character("v"):
            payloadView = payloadView.next
            detailScroll = 0
            notice = "payload view: \(payloadView.rawValue)"
        case .character("w"):
            showWireBytes.toggle()
        case .character("/"): prompt = Prompt(.search, recall: search)
        case .character("n"): return findNext(forward: true)
        case .character("N"): return findNext(forward: false)
        case .character("f"): prompt = Prompt(.filter, text: filter?.words ?? "")
        case .character("m"): toggleMessages()
        case .character("p"), .character(" "): togglePause()
        case .character("c"):
            overlay = .connections
            overlaySelection = max(0, connectionOrder.count - 1)
        case .character("I"):
            overlay = .interceptQueue
            overlaySelection = 0
        case .character("i"):
            intercept.toggle()
            notice = intercept ? "intercept on: new frames are held" : "intercept off"
            return [.setIntercept(intercept)]
        case .character("r"):
            if recordingPath != nil {
                recordingPath = nil
                return [.stopRecording]
            }
            prompt = Prompt(.recordingPath, text: defaultRecordingName)
        case .character("o"):
            return toggleFraming()
        case .character("R"):
            return resendSelected()
        case .character("h"):
            openHandshake()
        case .character("y"):
            openRepeater()
        case .character("x"):
            openComposer()
        case .character("e"):
            editSelectedFrame()
        default:
            return handleLensKey(key)
        }
        return []
    }

    // MARK: Moving

    mutating func moveCursor(by delta: Int) {
        let count = visibleCount
        guard count > 0 else { return }
        let current = selected.flatMap { position(of: $0) } ?? (count - 1)
        moveCursor(toPosition: current + delta)
    }

    mutating func moveCursor(toPosition target: Int) {
        let count = visibleCount
        guard count > 0 else { return }
        following = false
        selected = sequence(at: max(0, min(target, count - 1)))
        detailScroll = 0
        settleViewport()
    }

    /// Jumps to the newest frame and stays there (resumes if paused).
    mutating func follow() {
        following = true
        pausedAt = nil
        settleViewport()
    }

    mutating func togglePause() {
        if pausedAt == nil {
            pausedAt = frames.endSequence
            notice = "paused: new frames are kept but not shown (p resumes)"
        } else {
            pausedAt = nil
        }
        settleViewport()
    }

    // MARK: Search

    /// Moves the cursor to the next (or previous) row whose payload matches the search, wrapping at the
    /// ends. Whole payloads are searched while the store holds them, older frames by their preview; in the
    /// viewer (``searchesRecording``) the glue searches the recording instead and answers later.
    mutating func findNext(forward: Bool) -> [UIEffect] {
        guard let search, !search.isEmpty else {
            notice = "no search yet: / starts one"
            return []
        }
        let query: SearchQuery
        switch SearchQuery.parse(search) {
        case .success(let parsed): query = parsed
        case .failure(let error):
            notice = "search: \(error)"
            return []
        }
        let count = visibleCount
        guard count > 0 else {
            notice = "nothing to search: the list is empty"
            return []
        }
        if searchesRecording { return searchRecording(query, forward: forward) }
        let start = selected.flatMap { position(of: $0) } ?? (forward ? -1 : count)
        var candidate = start
        var wrapped = false
        // A regular expression costs microseconds a row: one key press looks at a bounded number of rows, so
        // that input never freezes; the cursor then stops at the last row looked at and n goes on from there.
        let budget = query.isRegex ? regexSearchBudget : count
        for looked in 0..<count {
            if looked == budget {
                moveCursor(toPosition: candidate)
                notice =
                    "/\(search): no match in the \(CountWords.of(budget, "row")) up to here (n searches on"
                    + (wrapped ? ", wrapped)" : ")")
                return []
            }
            candidate += forward ? 1 : -1
            if candidate >= count || candidate < 0 {
                wrapped = true
                candidate = forward ? 0 : count - 1
            }
            let sequence = sequence(at: candidate)
            guard let match = searchMatch(query, at: sequence) else { continue }
            if candidate != start { moveCursor(toPosition: candidate) }
            let place: String
            if let offset = match.offset {
                place = match.whole ? "byte \(offset)" : "byte \(offset) of its preview (the rest is not held)"
            } else {
                place = "in its row: " + (frames.row(sequence)?.rowWords ?? "")
            }
            notice = (wrapped ? "search wrapped · " : "") + "/\(search): \(itemName(sequence)), \(place)"
            return []
        }
        notice =
            "not found: \"\(search)\" (whole payloads of the newest frames, the first "
            + "\(FrameStore.previewCapacity) bytes of older ones)"
        return []
    }

    /// Where the search matches the frame (the byte offset, and whether the whole payload was searched); a
    /// `nil` offset: the words its row shows besides the payload match (a close code's name).
    func searchMatch(_ query: SearchQuery, at sequence: Int) -> (offset: Int?, whole: Bool)? {
        if showsMessages, let message = multiFrameMessage(startingAt: sequence) {
            let whole = message.wholePayload(frames)
            let bytes = whole ?? message.previewBytes(frames, limit: .max)
            return bytes.withUnsafeBytes { query.firstMatch(in: $0) }.map { ($0, whole != nil) }
        }
        let inPayload = frames.withSearchableBytes(sequence) { bytes, whole in
            query.firstMatch(in: bytes).map { (Optional($0), whole) }
        }
        if let inPayload = inPayload ?? nil { return inPayload }
        if let row = frames.row(sequence), query.matchesRowWords(row) { return (nil, true) }
        return nil
    }

    /// How the notices name a row of the list.
    func itemName(_ sequence: Int) -> String {
        multiFrameMessage(startingAt: sequence) != nil && showsMessages
            ? "message from frame #\(sequence + 1)" : "frame #\(sequence + 1)"
    }

    // MARK: Prompt

    mutating func handlePromptKey(_ key: Key) -> [UIEffect] {
        guard var current = prompt else { return [] }
        switch key {
        case .escape:
            prompt = nil
        case .enter:
            prompt = nil
            return commit(current)
        case .backspace:
            if !current.text.isEmpty { current.text.removeLast() }
            prompt = current
        case .character(let character):
            if current.text.count < 512 { current.text.append(character) }
            prompt = current
        case .control("u"):
            current.text = ""
            prompt = current
        case .up:
            if let recall = current.recall { current.text = recall }
            prompt = current
        default:
            break
        }
        return []
    }

    private mutating func commit(_ prompt: Prompt) -> [UIEffect] {
        switch prompt.purpose {
        case .search:
            guard !prompt.text.isEmpty else {
                search = nil
                return []
            }
            if case .failure(let error) = SearchQuery.parse(prompt.text) {
                notice = "search not changed: \(error)"
                return []
            }
            search = prompt.text
            return findNext(forward: true)
        case .filter:
            switch FrameFilter.parse(prompt.text) {
            case .success(let parsed):
                following = following && parsed == nil
                applyFilter(parsed)
                notice =
                    parsed.map { "filter: \($0.words) (\(CountWords.of(visibleCount, "frame")))" } ?? "filter cleared"
            case .failure(let error):
                notice = "filter not changed: \(error)"
            }
        case .recordingPath:
            let path = prompt.text.trimmingSpaces
            guard !path.isEmpty else {
                notice = "no file name: not recording"
                return []
            }
            return [.startRecording(path: path)]
        case .message:
            return sendTextMessage(prompt.text)
        }
        return []
    }

    /// `wstap-YYYYMMDD-HHMMSS.jsonl` from the clock of the last tick.
    var defaultRecordingName: String {
        let local = Int64(now.rounded(.down)) + Int64(utcOffsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let (year, month, day) = CivilDate.from(daysSince1970: days)
        let seconds = Int(local - days * 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "wstap-\(year)\(two(month))\(two(day))-\(two(seconds / 3600))\(two(seconds / 60 % 60))\(two(seconds % 60)).jsonl"
    }

    // MARK: Detail pane

    /// Keys for the focused detail pane; `nil` for the keys it leaves to the list.
    mutating func handleDetailKey(_ key: Key) -> [UIEffect]? {
        switch key {
        case .up, .character("k"): detailScroll = max(0, detailScroll - 1)
        case .down, .character("j"): detailScroll += 1
        case .pageUp: detailScroll = max(0, detailScroll - max(1, layout.detailHeight - 1))
        case .pageDown: detailScroll += max(1, layout.detailHeight - 1)
        case .home, .character("g"): detailScroll = 0
        case .tab: detailFocused = false
        case .escape:
            detailFocused = false
        default: return nil
        }
        return []
    }

    // MARK: Overlays

    /// The keys the list overlays share: `q` quits, Up/`k` and Down/`j` move the selection within `count`
    /// rows; `nil` for any other key.
    private mutating func handleOverlayListKey(_ key: Key, count: Int) -> [UIEffect]? {
        switch key {
        case .character("q"): return [.quit]
        case .up, .character("k"): overlaySelection = max(0, overlaySelection - 1)
        case .down, .character("j"): overlaySelection = min(max(0, count - 1), overlaySelection + 1)
        default: return nil
        }
        return []
    }

    mutating func handleConnectionsKey(_ key: Key) -> [UIEffect] {
        if let effects = handleOverlayListKey(key, count: connectionOrder.count) { return effects }
        switch key {
        case .enter:
            overlay = nil
            guard overlaySelection < connectionOrder.count else { return [] }
            var newFilter = filter ?? FrameFilter()
            newFilter.connection = connectionOrder[overlaySelection]
            following = false
            applyFilter(newFilter)
            notice = "filter: \(newFilter.words) (Esc clears)"
        case .escape, .character("c"): overlay = nil
        case .character("h"): openHandshake()
        default: break
        }
        return []
    }

    mutating func handleQueueKey(_ key: Key) -> [UIEffect] {
        if let effects = handleOverlayListKey(key, count: heldFrames.count) { return effects }
        switch key {
        case .enter, .character("f"), .character("x"):
            guard overlaySelection < heldFrames.count else { return [] }
            let held = heldFrames.remove(at: overlaySelection)
            overlaySelection = min(overlaySelection, max(0, heldFrames.count - 1))
            return [.decideHeld(holdID: held.holdID, decision: key == .character("x") ? .drop : .forward)]
        case .character("A"):
            let all = heldFrames
            heldFrames = []
            return all.map { .decideHeld(holdID: $0.holdID, decision: .forward) }
        case .character("i"):
            intercept.toggle()
            return [.setIntercept(intercept)]
        case .character("e"):
            editHeldFrame()
        case .escape, .character("I"): overlay = nil
        default: break
        }
        return []
    }

    // MARK: Actions on the selected frame

    private mutating func toggleFraming() -> [UIEffect] {
        guard let selected, let row = frames.row(selected) else {
            notice = "no frame selected"
            return []
        }
        guard var summary = connections[row.connection], summary.variant == .hybi00 else {
            notice = "connection \(row.connection) speaks RFC 6455: it has no hybi-00 framing to switch"
            return []
        }
        summary.framing = summary.framing == .old ? .new : .old
        connections[row.connection] = summary
        notice = "connection \(row.connection): switching to hybi-00 framing \(summary.framing.rawValue)"
        return [.setFraming(connection: row.connection, framing: summary.framing)]
    }

    private mutating func resendSelected() -> [UIEffect] {
        guard let selected, let row = frames.row(selected) else {
            notice = "no frame selected"
            return []
        }
        guard let bytes = wireBytes(of: selected) else {
            notice = "frame #\(selected + 1): its whole payload is no longer held, so it cannot be sent again"
            return []
        }
        notice = "frame #\(selected + 1) sent again (\(CountWords.of(bytes.count, "byte")))"
        if mode == .client { return [.send(bytes: bytes)] }
        return [.inject(connection: row.connection, direction: row.direction, bytes: bytes)]
    }

    /// The exact bytes of a frame, when its whole payload is still held.
    func wireBytes(of sequence: Int) -> [UInt8]? {
        guard let frame = recent[sequence] else { return rebuiltWireBytes(of: sequence) }
        switch frame.content {
        case .rfc6455(let decoded):
            return decoded.wireBytes.map { Array($0.readableBytesView) }
        case .hybi00(let decoded):
            guard decoded.isComplete else { return nil }
            return Hybi00FrameEncoder.encode(
                Hybi00FrameSpec(
                    framing: decoded.framing, typeByte: decoded.typeByte, isClose: decoded.isClose,
                    declaredLength: decoded.declaredLength, payload: Array(decoded.payload.readableBytesView)))
        }
    }
}

extension UIState {
    /// The bytes of an RFC 6455 frame rebuilt from its row and its whole payload in the store (the
    /// header as it was on the wire, the payload masked again with its key); `nil` when the payload is
    /// gone, cut at the capture limit, or shown inflated (the wire had it compressed).
    func rebuiltWireBytes(of sequence: Int) -> [UInt8]? {
        guard let row = frames.row(sequence), !row.isHybi00, !row.flags.contains(.inflated),
            row.flags.contains(.payloadComplete)
        else { return nil }
        return frames.withPayload(sequence) { payload -> [UInt8]? in
            guard UInt64(payload.count) == row.payloadLength else { return nil }
            var bytes = row.header.bytes
            let headerSize = bytes.count
            bytes.append(contentsOf: payload)
            if let key = row.maskingKey {
                bytes.withUnsafeMutableBytes { all in
                    _ = Masking.apply(
                        key: key, phase: 0, inPlace: UnsafeMutableRawBufferPointer(rebasing: all[headerSize...]))
                }
            }
            return bytes
        } ?? nil
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
