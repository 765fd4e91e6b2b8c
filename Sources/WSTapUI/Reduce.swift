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
        for event in events { state.ingest(event) }
        state.afterIngest()
    case .resize(let size):
        state.size = size
        state.settleViewport()
    case .tick(let wallSeconds):
        state.now = wallSeconds
        state.rates.tick(wallSeconds: wallSeconds)
    case .notice(let text):
        state.notice = text
    case .recordingChanged(let path):
        state.recordingPath = path
    case .interceptChanged(let on):
        state.intercept = on
    case .roundTrip(let time):
        state.roundTripTime = time
    case .fileLoaded(let path, let bytes):
        state.fileLoaded(path: path, bytes: bytes)
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
        case .character("/"): prompt = Prompt(.search, text: search ?? "")
        case .character("n"): findNext(forward: true)
        case .character("N"): findNext(forward: false)
        case .character("f"): prompt = Prompt(.filter, text: filter?.words ?? "")
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
        case .character("x"):
            openComposer()
        case .character("e"):
            editSelectedFrame()
        default:
            break
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

    mutating func findNext(forward: Bool) {
        guard let search, !search.isEmpty else {
            notice = "no search yet: / starts one"
            return
        }
        let needle = Array(search.utf8)
        let count = visibleCount
        guard count > 0 else { return }
        let start = selected.flatMap { position(of: $0) } ?? (forward ? -1 : count)
        var candidate = start
        for _ in 0..<count {
            candidate += forward ? 1 : -1
            if candidate >= count || candidate < 0 {
                notice = "search wrapped"
                candidate = forward ? 0 : count - 1
            }
            if frames.previewContains(sequence(at: candidate), needle) {
                if candidate != start {
                    moveCursor(toPosition: candidate)
                }
                return
            }
        }
        notice = "not found in the payload previews: \"\(search)\""
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
        default:
            break
        }
        return []
    }

    private mutating func commit(_ prompt: Prompt) -> [UIEffect] {
        switch prompt.purpose {
        case .search:
            search = prompt.text.isEmpty ? nil : prompt.text.lowercased()
            if search != nil { findNext(forward: true) }
        case .filter:
            switch FrameFilter.parse(prompt.text) {
            case .success(let parsed):
                following = following && parsed == nil
                applyFilter(parsed)
                notice = parsed.map { "filter: \($0.words) (\(visibleCount) frames)" } ?? "filter cleared"
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

    /// `wstap-YYYYMMDD-HHMMSS.wstap` from the clock of the last tick.
    var defaultRecordingName: String {
        let local = Int64(now.rounded(.down)) + Int64(utcOffsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let (year, month, day) = CivilDate.from(daysSince1970: days)
        let seconds = Int(local - days * 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "wstap-\(year)\(two(month))\(two(day))-\(two(seconds / 3600))\(two(seconds / 60 % 60))\(two(seconds % 60)).wstap"
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

    mutating func handleConnectionsKey(_ key: Key) -> [UIEffect] {
        switch key {
        case .character("q"): return [.quit]
        case .up, .character("k"): overlaySelection = max(0, overlaySelection - 1)
        case .down, .character("j"): overlaySelection = min(max(0, connectionOrder.count - 1), overlaySelection + 1)
        case .enter:
            overlay = nil
            guard overlaySelection < connectionOrder.count else { return [] }
            var newFilter = filter ?? FrameFilter()
            newFilter.connection = connectionOrder[overlaySelection]
            following = false
            applyFilter(newFilter)
            notice = "filter: \(newFilter.words) (Esc clears)"
        case .escape, .character("c"): overlay = nil
        default: break
        }
        return []
    }

    mutating func handleQueueKey(_ key: Key) -> [UIEffect] {
        switch key {
        case .character("q"): return [.quit]
        case .up, .character("k"): overlaySelection = max(0, overlaySelection - 1)
        case .down, .character("j"): overlaySelection = min(max(0, heldFrames.count - 1), overlaySelection + 1)
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
        notice = "frame #\(selected + 1) sent again (\(bytes.count) bytes)"
        if mode == .client { return [.send(bytes: bytes)] }
        return [.inject(connection: row.connection, direction: row.direction, bytes: bytes)]
    }

    /// The exact bytes of a frame, when its whole payload is still held.
    func wireBytes(of sequence: Int) -> [UInt8]? {
        guard let frame = recent[sequence] else { return nil }
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

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
