import WSTapCore

extension UIState {
    /// `y`: opens the selected frame's message (all its fragments) in a new repeater tab.
    mutating func openRepeater() {
        guard mode != .viewer else {
            notice = "a recording cannot be sent to: wstap repeat FILE --frame N sends one of its messages again"
            return
        }
        guard let selected, let row = frames.row(selected) else {
            if !repeaterTabs.isEmpty {
                overlay = .repeater
                return
            }
            notice = "no frame selected"
            return
        }
        let payload: [UInt8]?
        var opcode = row.opcode
        if !row.isHybi00, !row.opcode.isControl,
            let number = messages.number(
                containing: selected, connection: row.connection, direction: row.direction, rows: frames),
            let entry = messages.entry(number: number), entry.frameCount > 1
        {
            let message = MessageFrames(entry, in: frames)
            payload = message.wholePayload(frames)
            opcode = frames.row(entry.firstSequence)?.opcode ?? opcode
        } else {
            payload =
                row.flags.contains(.payloadComplete) || row.flags.contains(.inflated)
                ? frames.payload(selected) : nil
        }
        guard let payload else {
            notice = "frame #\(selected + 1): its whole payload is no longer held, so it cannot be repeated"
            return
        }
        if row.isHybi00 { opcode = row.kindName == "binary" ? .binary : .text }
        var direction = row.direction
        if mode == .client { direction = .clientToServer }
        if mode == .server { direction = .serverToClient }
        repeaterTabs.append(
            RepeaterTab(connection: row.connection, direction: direction, opcode: opcode, payload: payload))
        if repeaterTabs.count > Self.maxRepeaterTabs { repeaterTabs.removeFirst() }
        repeaterTab = repeaterTabs.count - 1
        repeaterScroll = 0
        overlay = .repeater
    }

    static let maxRepeaterTabs = 20

    /// The repeater's keys: typing edits the payload, Enter sends, Tab changes text/hex/JSON, Up/Down walk the
    /// sends, Ctrl-N/Ctrl-P change tabs, Ctrl-W closes one, PgUp/PgDn scroll the replies, Esc leaves.
    mutating func handleRepeaterKey(_ key: Key) -> [UIEffect] {
        guard repeaterTab < repeaterTabs.count else {
            overlay = nil
            return []
        }
        var tab = repeaterTabs[repeaterTab]
        defer { if repeaterTab < repeaterTabs.count, overlay == .repeater { repeaterTabs[repeaterTab] = tab } }
        switch key {
        case .escape:
            overlay = nil
        case .enter:
            return sendRepeated(&tab)
        case .tab:
            if let problem = tab.cycleMode() { notice = problem }
        case .backspace:
            if !tab.text.isEmpty { tab.text.removeLast() }
        case .control("u"):
            tab.text = ""
        case .character(let character):
            if tab.text.count < 65_536 { tab.text.append(character) }
        case .up, .down:
            guard !tab.sends.isEmpty else { break }
            let last = tab.sends.count - 1
            // The editor still holding the last send counts as being on it.
            let holdsLast = (try? tab.payload().get()) == tab.sends[last].payload
            let current = tab.historyIndex ?? (holdsLast ? last : tab.sends.count)
            let index = max(0, min(last, current + (key == .up ? -1 : 1)))
            tab.historyIndex = index
            tab.load(tab.sends[index])
            notice = "send \(index + 1) of \(tab.sends.count) loaded"
        case .pageUp, .pageDown:
            let most = RepeaterView.maxScroll(self)
            let step = max(1, layout.listHeight / 2) * (key == .pageUp ? -1 : 1)
            repeaterScroll = max(0, min(most, min(repeaterScroll, most) + step))
        case .control("n"), .control("p"):
            let step = key == .control("n") ? 1 : repeaterTabs.count - 1
            repeaterTabs[repeaterTab] = tab
            repeaterTab = (repeaterTab + step) % repeaterTabs.count
            tab = repeaterTabs[repeaterTab]
            repeaterScroll = 0
        case .control("w"):
            repeaterTabs.remove(at: repeaterTab)
            if repeaterTabs.isEmpty {
                overlay = nil
                repeaterTab = 0
                return []
            }
            repeaterTab = min(repeaterTab, repeaterTabs.count - 1)
            tab = repeaterTabs[repeaterTab]
        default:
            break
        }
        return []
    }

    /// Frames the tab's message and asks the glue to send it on the tab's connection.
    private mutating func sendRepeated(_ tab: inout RepeaterTab) -> [UIEffect] {
        guard let summary = connections[tab.connection], summary.isOpen else {
            notice = "connection #\(tab.connection) is closed: not sent"
            return []
        }
        let payload: [UInt8]
        switch tab.payload() {
        case .success(let parsed): payload = parsed
        case .failure(let error):
            notice = "not sent: \(error)"
            return []
        }
        let bytes: [UInt8]
        switch summary.variant {
        case .rfc6455:
            let mask: FrameSpec.Mask =
                tab.direction == .clientToServer ? .key(MaskingKey.random(using: &maskingKeys)) : .none
            do {
                bytes = try FrameEncoder.encode(FrameSpec(opcode: tab.opcode, mask: mask, payload: payload))
            } catch {
                notice = "not sent: \(error)"
                return []
            }
        case .hybi00:
            bytes = Hybi00FrameEncoder.encode(
                Hybi00FrameSpec(
                    framing: summary.framing, typeByte: tab.opcode == .binary ? 0x80 : nil, payload: payload))
        }
        tab.sends.append(.init(payload: payload, opcode: tab.opcode, afterSequence: frames.endSequence))
        if tab.sends.count > RepeaterTab.maxSends { tab.sends.removeFirst() }
        tab.historyIndex = nil
        repeaterScroll = Int.max
        notice = "sent \(tab.opcode.name) of \(CountWords.of(payload.count, "byte")) on connection #\(tab.connection)"
        if mode == .client { return [.send(bytes: bytes)] }
        return [.inject(connection: tab.connection, direction: tab.direction, bytes: bytes)]
    }

    /// The frames that came back after a send of a tab (the other direction, on its connection), up to the
    /// next send.
    func repliesAfter(_ index: Int, of tab: RepeaterTab) -> [Int] {
        let start = max(frames.firstSequence, tab.sends[index].afterSequence)
        let next = index + 1 < tab.sends.count ? tab.sends[index + 1].afterSequence : frames.endSequence
        // Bounded, so that drawing stays cheap on a busy connection.
        let end = min(next, start + 20_000)
        guard start < end else { return [] }
        var found: [Int] = []
        for sequence in start..<end {
            guard let row = frames.row(sequence), row.connection == tab.connection, row.direction != tab.direction
            else { continue }
            found.append(sequence)
            if found.count >= 50 { break }
        }
        return found
    }
}
