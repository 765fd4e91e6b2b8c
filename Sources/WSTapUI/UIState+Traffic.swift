import NIOCore
import WSTapCore

extension UIState {
    /// Takes in one traffic event.
    mutating func ingest(_ event: TrafficEvent) {
        switch event {
        case .connectionOpened(let opened):
            var summary = ConnectionSummary(
                id: opened.connection, clientAddress: opened.clientAddress,
                target: ConnectionSummary.address(of: opened),
                variant: opened.variant)
            summary.framing = opened.framing
            summary.subprotocol = opened.subprotocol
            summary.extensions = opened.extensions
            addConnection(summary)
            handshakes[opened.connection] = opened
            lenses.opened(event)
        case .frame(let frame):
            ingest(frame)
        case .message:
            break  // the screen joins messages from the frames itself (MessageStore)
        case .leftoverBytes(let connection, let direction, let bytes, _):
            note(
                "connection \(connection) \(direction.arrow): \(CountWords.of(bytes.readableBytes, "byte")) did not make up a frame"
            )
        case .connectionClosed(let closed):
            var summary = connections[closed.connection] ?? ConnectionSummary(id: closed.connection)
            summary.isOpen = false
            summary.clientCloseCode = closed.clientCloseCode
            summary.serverCloseCode = closed.serverCloseCode
            summary.closeReason = closed.closeReason
            summary.error = closed.error
            if connections[closed.connection] == nil {
                addConnection(summary)
            } else {
                connections[closed.connection] = summary
            }
            lenses.closed(event)
            noteUnanswered()
        case .framingChanged(let change):
            connections[change.connection]?.framing = change.framing
            if change.redecoded { markSuperseded(connection: change.connection) }
            let how =
                change.redecoded
                ? "its frames so far decoded again (the earlier reading is marked ~)" : "from the next frame"
            note("connection \(change.connection): hybi-00 framing \(change.framing.rawValue), \(how)")
            notice =
                mode == .client && !change.redecoded
                ? "hybi-00 framing \(change.framing.rawValue): the client sends and reads in it from the next frame"
                : "connection \(change.connection): hybi-00 framing \(change.framing.rawValue), \(how)"
        case .proxyError(let message, _):
            note("error: " + message)
            notice = "error: " + message
        case .note(let connection, let text, _):
            note((connection.map { "connection \($0): " } ?? "") + text)
        }
    }

    /// The connection's stream is decoded again: its frames so far are replaced by those that follow, and
    /// are kept dimmed (marked `~`).
    private mutating func markSuperseded(connection: UInt64) {
        for sequence in frames.firstSequence..<frames.endSequence {
            frames.update(sequence) { row in
                if row.connection == connection { row.flags.insert(.superseded) }
            }
        }
    }

    /// Moves the lenses' notes about unanswered requests to the notes.
    mutating func noteUnanswered() {
        guard !lenses.unansweredNotes.isEmpty else { return }
        for text in lenses.unansweredNotes { note(text) }
        lenses.unansweredNotes = []
    }

    private mutating func note(_ text: String) {
        notes.append(text)
        if notes.count > 200 { notes.removeFirst(notes.count - 200) }
    }

    private mutating func addConnection(_ summary: ConnectionSummary) {
        if connections[summary.id] == nil {
            connectionOrder.append(summary.id)
            if connectionOrder.count > Self.maxConnections {
                let gone = connectionOrder.removeFirst()
                connections[gone] = nil
                handshakes[gone] = nil
            }
        }
        connections[summary.id] = summary
    }

    private mutating func ingest(_ frame: TrafficEvent.FrameSeen) {
        let row = FrameRow(frame)
        let sequence = frames.append(row, payload: frame.readablePayload)
        recent.add(frame, sequence: sequence)
        let wire = FrameRow.wireLength(frame)
        rates.count(bytes: wire)
        totalBytes &+= wire
        // One hash lookup (for a known connection), then the counters change in place.
        var known = connections.index(forKey: frame.connection)
        if known == nil {
            addConnection(ConnectionSummary(id: frame.connection))
            known = connections.index(forKey: frame.connection)
        }
        if let index = known {
            if frame.direction == .clientToServer {
                connections.values[index].framesClientToServer += 1
                connections.values[index].bytesClientToServer &+= wire
            } else {
                connections.values[index].framesServerToClient += 1
                connections.values[index].bytesServerToClient &+= wire
            }
        }
        switch frame.disposition {
        case .held(let id):
            heldFrames.append((id, sequence))
            heldRows[id] = sequence
            if heldRows.count > Self.maxHeldRows {
                heldRows = heldRows.filter { $0.value >= frames.firstSequence }
            }
        case .released(let id), .edited(let id), .dropped(let id):
            // The row it arrived on is held no more (the queue may have let it go already, on the user's
            // word): it says what became of it.
            if let held = heldRows.removeValue(forKey: id) {
                frames.update(held) { $0.heldOutcome = frame.disposition }
            }
            heldFrames.removeAll { $0.holdID == id }
        case .relayed, .injected, .replaced, .removed, .rewritten:
            break
        }
        let startsMessage = messages.add(row, sequence: sequence) != nil
        lenses.add(frame, row: row, sequence: sequence)
        noteUnanswered()
        if listsIndex, !showsMessages || startsMessage, filter?.matches(row, sequence: sequence, in: frames) ?? true {
            filtered.append(sequence)
        }
    }

    /// After a batch: drops filter entries for frames no longer held and keeps the cursor in view.
    mutating func afterIngest() {
        if listsIndex {
            while filteredStart < filtered.count, filtered[filteredStart] < frames.firstSequence { filteredStart += 1 }
            if filteredStart > 4096, filteredStart > filtered.count / 2 {
                filtered.removeFirst(filteredStart)
                filteredStart = 0
            }
        }
        settleViewport()
    }

    /// Rebuilds the list of frames (or messages) that pass the filter.
    mutating func applyFilter(_ newFilter: FrameFilter?) {
        filter = newFilter
        rebuildIndex()
        if let selected, position(of: selected) == nil {
            let count = visibleCount
            self.selected = count == 0 ? nil : sequence(at: min(position(atOrAfter: selected), count - 1))
        }
        settleViewport()
    }

    /// Fills `filtered` with the rows the list shows: the frames (or the messages' first frames) held
    /// that pass the filter.
    mutating func rebuildIndex() {
        filtered = []
        filteredStart = 0
        guard listsIndex else { return }
        if showsMessages {
            for number in messages.firstNumber(atOrAfter: frames.firstSequence)..<messages.endNumber {
                guard let entry = messages.entry(number: number), let row = frames.row(entry.firstSequence) else {
                    continue
                }
                if filter?.matches(row, sequence: entry.firstSequence, in: frames) ?? true {
                    filtered.append(entry.firstSequence)
                }
            }
        } else if let filter {
            for sequence in frames.firstSequence..<frames.endSequence {
                if let row = frames.row(sequence), filter.matches(row, sequence: sequence, in: frames) {
                    filtered.append(sequence)
                }
            }
        }
    }

    /// Keeps the cursor on a shown frame and in the list's window; moves it to the newest frame when
    /// following.
    mutating func settleViewport() {
        let count = visibleCount
        let height = max(1, layout.listHeight)
        guard count > 0 else {
            selected = nil
            topSequence = frames.endSequence
            return
        }
        var cursor: Int
        if following {
            cursor = count - 1
        } else if let selected, let position = position(of: selected) {
            cursor = position
        } else if let selected {
            cursor = min(position(atOrAfter: selected), count - 1)
        } else {
            cursor = count - 1
        }
        cursor = max(0, min(cursor, count - 1))
        let newSelection = sequence(at: cursor)
        if newSelection != selected { detailScroll = 0 }
        selected = newSelection
        var top = min(position(atOrAfter: topSequence), count - 1)
        if following {
            top = max(0, count - height)
        } else {
            if cursor < top { top = cursor }
            if cursor >= top + height { top = cursor - height + 1 }
            top = max(0, min(top, count - height))
        }
        topSequence = sequence(at: max(0, top))
    }

    /// For each connection and direction with frames held by intercept: the sequence number of the oldest
    /// held one. The frames after it (of that connection and direction) wait behind it.
    var oldestHeld: [HeldQueueKey: Int] {
        var oldest: [HeldQueueKey: Int] = [:]
        for held in heldFrames {
            guard let row = frames.row(held.sequence) else { continue }
            let key = HeldQueueKey(connection: row.connection, direction: row.direction)
            oldest[key] = min(oldest[key] ?? .max, held.sequence)
        }
        return oldest
    }

    /// Whether a frame that was relayed as it came still waits behind a held frame before it.
    func waitsBehindHeld(_ row: FrameRow, sequence: Int, oldestHeld: [HeldQueueKey: Int]) -> Bool {
        guard row.disposition == .relayed, !oldestHeld.isEmpty,
            let held = oldestHeld[HeldQueueKey(connection: row.connection, direction: row.direction)]
        else { return false }
        return held < sequence
    }

    /// The position of the list's first row.
    var topPosition: Int {
        let count = visibleCount
        guard count > 0 else { return 0 }
        return max(0, min(position(atOrAfter: topSequence), count - 1))
    }
}

/// One direction of one connection: frames held by intercept make the later ones of the same queue wait.
struct HeldQueueKey: Hashable {
    var connection: UInt64
    var direction: TrafficDirection
}
