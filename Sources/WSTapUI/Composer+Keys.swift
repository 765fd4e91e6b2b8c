import WSTapCore

/// Opening the composer, its keys, and sending what it builds.
extension UIState {
    // MARK: Opening

    /// `x`: an empty form aimed at the selected frame's connection and direction (client mode: the
    /// client connection).
    mutating func openComposer() {
        guard let target = defaultComposerTarget() else { return }
        var form = ComposerForm(target: target, variant: variant(of: target.connection))
        form.framing = framing(of: target.connection)
        composer = form
    }

    /// `e` on the list: the form filled from the selected frame, aimed where that frame went.
    mutating func editSelectedFrame() {
        guard let selected, let row = frames.row(selected) else {
            notice = "no frame selected: x opens an empty composer"
            return
        }
        let target: ComposerTarget
        switch mode {
        case .client: target = .clientConnection
        case .proxy, .forward: target = .proxied(connection: row.connection, direction: row.direction)
        case .server, .viewer:
            notice = composerUnavailable
            return
        }
        guard let form = composerForm(of: selected, target: target) else {
            notice = "frame #\(selected + 1) cannot be edited: \(whyNotEditable(selected))"
            return
        }
        composer = form
    }

    /// The form for a captured frame: from the newest frames kept as captured, else from its row and its
    /// whole payload while the payload ring holds it.
    func composerForm(of sequence: Int, target: ComposerTarget) -> ComposerForm? {
        if let frame = recent[sequence] { return ComposerForm(frame: frame, target: target) }
        guard let row = frames.row(sequence), let payload = frames.payload(sequence) else { return nil }
        return ComposerForm(row: row, payload: payload, target: target)
    }

    /// Why ``composerForm(of:target:)`` has no form for a frame.
    func whyNotEditable(_ sequence: Int) -> String {
        guard let row = frames.row(sequence) else { return "it is no longer in the list" }
        if !row.flags.contains(.payloadComplete) { return "its payload was cut at the capture limit" }
        if recent[sequence] == nil, row.flags.contains(.inflated), frames.holdsPayload(sequence) {
            return "it was compressed, and only its inflated payload is still held, not the bytes sent"
        }
        return "its whole payload is no longer held (only the newest "
            + "\(ByteCountText.bytes(UInt64(frames.payloadCapacity))) of payloads are)"
    }

    /// `e` in the intercept queue: the form filled from the held frame; sending replaces it.
    mutating func editHeldFrame() {
        guard overlaySelection < heldFrames.count else { return }
        let held = heldFrames[overlaySelection]
        guard let row = frames.row(held.sequence),
            let form = composerForm(
                of: held.sequence,
                target: .heldFrame(holdID: held.holdID, connection: row.connection, direction: row.direction))
        else {
            notice = "held frame \(held.holdID): its whole payload is not held here; forward or drop it"
            return
        }
        composer = form
    }

    private var composerUnavailable: String {
        "the composer sends on a client or proxied connection; there is none in \(mode.rawValue) mode"
    }

    private mutating func defaultComposerTarget() -> ComposerTarget? {
        switch mode {
        case .client:
            return .clientConnection
        case .proxy, .forward:
            // Only open connections take frames: the selected frame's, else the newest open one.
            if let selected, let row = frames.row(selected), connections[row.connection]?.isOpen == true {
                return .proxied(connection: row.connection, direction: row.direction)
            }
            let direction = selected.flatMap { frames.row($0)?.direction } ?? .clientToServer
            guard let open = openConnections.last else {
                notice = "no open connection: ←→ on conn picks one once it opens"
                return .proxied(connection: nil, direction: direction)
            }
            return .proxied(connection: open, direction: direction)
        case .server, .viewer:
            notice = composerUnavailable
            return nil
        }
    }

    /// The ids of the open connections, oldest first.
    var openConnections: [UInt64] {
        connectionOrder.filter { connections[$0]?.isOpen == true }
    }

    private func variant(of connection: UInt64?) -> ProtocolVariant {
        guard let summary = connection.flatMap({ connections[$0] }) ?? connectionOrder.last.flatMap({ connections[$0] })
        else { return .rfc6455 }
        return summary.variant
    }

    private func framing(of connection: UInt64?) -> Hybi00Framing {
        connection.flatMap { connections[$0]?.framing } ?? defaultFraming
    }

    // MARK: Keys

    /// The keys while the composer is open.
    mutating func handleComposerKey(_ key: Key) -> [UIEffect] {
        guard var form = composer else { return [] }
        let fields = form.fields
        let index = fields.firstIndex(of: form.focus) ?? 0
        switch key {
        case .escape:
            composer = nil
            return []
        case .tab, .down:
            form.focus = fields[(index + 1) % fields.count]
            form.cursor = nil
        case .backTab, .up:
            form.focus = fields[(index + fields.count - 1) % fields.count]
            form.cursor = nil
        case .enter:
            return composerEnter()
        case .left where form.focus.isText && form.focus != .fragments:
            form.cursor = max(0, (form.cursor ?? form.text(of: form.focus).count) - 1)
        case .right where form.focus.isText && form.focus != .fragments:
            let next = (form.cursor ?? .max) + 1
            form.cursor = next < form.text(of: form.focus).count ? next : nil
        case .home where form.focus.isText:
            form.cursor = form.text(of: form.focus).isEmpty ? nil : 0
        case .end where form.focus.isText:
            form.cursor = nil
        case .left:
            change(&form, by: -1)
        case .right:
            change(&form, by: 1)
        case .character(" ") where !form.focus.isText:
            if form.focus == .recent {
                loadRecent(into: &form)
            } else {
                change(&form, by: 1)
            }
        case .character(let character) where form.focus.isText:
            var text = form.text(of: form.focus)
            guard text.count < ComposerForm.maxFieldCharacters else { break }
            if let cursor = form.cursor, cursor < text.count {
                text.insert(character, at: text.index(text.startIndex, offsetBy: cursor))
                form.cursor = cursor + 1
            } else {
                text.append(character)
            }
            form.setText(text, of: form.focus)
        case .character(let character) where form.focus == .reservedBits:
            switch character {
            case "1": form.reservedBits.formSymmetricDifference(.rsv1)
            case "2": form.reservedBits.formSymmetricDifference(.rsv2)
            case "3": form.reservedBits.formSymmetricDifference(.rsv3)
            default: break
            }
        case .backspace where form.focus.isText:
            var text = form.text(of: form.focus)
            if let cursor = form.cursor, cursor < text.count {
                if cursor > 0 {
                    text.remove(at: text.index(text.startIndex, offsetBy: cursor - 1))
                    form.cursor = cursor - 1
                }
            } else if !text.isEmpty {
                text.removeLast()
            }
            form.setText(text, of: form.focus)
        case .control("u") where form.focus.isText:
            form.setText("", of: form.focus)
            form.cursor = nil
        default:
            break
        }
        composer = form
        return []
    }

    /// ←/→ (and Space): the next or previous value of the focused field.
    private func change(_ form: inout ComposerForm, by step: Int) {
        func cycled<T: Equatable>(_ value: T, in values: [T]) -> T {
            let index = values.firstIndex(of: value) ?? 0
            return values[(index + step + values.count) % values.count]
        }
        switch form.focus {
        case .connection:
            guard case .proxied(let connection, let direction) = form.target else { return }
            let open = openConnections
            guard !open.isEmpty else {
                form.target = .proxied(connection: nil, direction: direction)
                return
            }
            let next =
                connection.flatMap { open.contains($0) ? cycled($0, in: open) : nil } ?? open[open.count - 1]
            form.target = .proxied(connection: next, direction: direction)
            form.variant = variant(of: next)
            form.framing = framing(of: next)
            if form.variant == .hybi00, form.opcode != .close { form.opcode = .text }
        case .direction:
            guard case .proxied(let connection, let direction) = form.target else { return }
            let flipped: TrafficDirection = direction == .clientToServer ? .serverToClient : .clientToServer
            form.target = .proxied(connection: connection, direction: flipped)
            if form.mask != .key { form.mask = flipped == .clientToServer ? .random : .none }
        case .opcode:
            if form.variant == .hybi00 {
                form.opcode = form.opcode == .close ? .text : .close
            } else {
                form.opcode = Opcode(lowBitsOf: UInt8((Int(form.opcode.rawValue) + step + 16) % 16))
            }
        case .fin:
            form.fin.toggle()
        case .reservedBits:
            form.reservedBits = ReservedBits(number: UInt8((Int(form.reservedBits.number) + step + 8) % 8))
        case .mask:
            form.mask = cycled(form.mask, in: ComposerForm.MaskChoice.allCases)
        case .lengthEncoding:
            form.length = cycled(form.length, in: ComposerForm.LengthChoice.allCases)
        case .fragments:
            let current = Int(form.fragmentsText.trimmingSpaces) ?? 1
            form.fragmentsText = String(max(1, min(ComposerForm.maxFragments, current + step)))
        case .framing:
            form.framing = form.framing == .old ? .new : .old
        case .payloadSource:
            let next = cycled(form.payloadSource, in: ComposerForm.PayloadSource.allCases)
            form.payloadText = converted(form.payloadText, from: form.payloadSource, to: next)
            form.payloadSource = next
        case .recent:
            guard !craftedFrames.isEmpty else { return }
            form.recentSelection = max(0, min(craftedFrames.count - 1, form.recentSelection + step))
        case .maskKey, .typeByte, .declaredLength, .closeCode, .closeReason, .payload:
            break
        }
    }

    /// The payload field's text when its source changes: text and hex convert into each other; a file
    /// path starts empty.
    private func converted(
        _ text: String, from source: ComposerForm.PayloadSource, to next: ComposerForm.PayloadSource
    ) -> String {
        switch (source, next) {
        case (.text, .hex):
            return text.utf8.map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined(separator: " ")
        case (.hex, .text):
            var probe = ComposerForm(target: .clientConnection)
            probe.payloadSource = .hex
            probe.payloadText = text
            guard let bytes = try? probe.payloadBytes(), let text = ComposerForm.printableText(bytes) else { return "" }
            return text
        case (.file, _), (_, .file):
            return ""
        default:
            return text
        }
    }

    /// Space on the recent list: that frame's form back in the composer (aimed at the current target).
    private func loadRecent(into form: inout ComposerForm) {
        guard form.recentSelection < craftedFrames.count else { return }
        var loaded = craftedFrames[form.recentSelection].form
        loaded.target = form.target
        if loaded.variant != form.variant {
            loaded.variant = form.variant
            loaded.framing = form.framing
            loaded.typeByteText = ""
            if loaded.variant == .hybi00, loaded.opcode != .close { loaded.opcode = .text }
        }
        loaded.focus = .payload
        loaded.recentSelection = form.recentSelection
        form = loaded
    }

    // MARK: Sending

    /// Enter: re-send the chosen recent frame, read the payload file, or send the form's frame.
    private mutating func composerEnter() -> [UIEffect] {
        guard let form = composer else { return [] }
        if form.focus == .recent, form.recentSelection < craftedFrames.count {
            let again = craftedFrames[form.recentSelection]
            let effects = deliver(again.bytes, to: form.target, remembering: again.form)
            if !effects.isEmpty { composer?.recentSelection = 0 }
            return effects
        }
        if form.needsFile {
            let path = form.payloadText.trimmingSpaces
            guard !path.isEmpty else {
                notice = "payload: no file name: type a path"
                return []
            }
            notice = "reading \(path)…"
            return [.loadFile(path: path)]
        }
        var generator = random
        let bytes: [UInt8]
        do {
            bytes = try form.build(using: &generator)
        } catch {
            notice = "not sent: \(error)"
            return []
        }
        let effects = deliver(bytes, to: form.target, remembering: form)
        if !effects.isEmpty { random = generator }
        return effects
    }

    /// The effect that sends bytes to a target; remembers them in the recent list.
    private mutating func deliver(_ bytes: [UInt8], to target: ComposerTarget, remembering form: ComposerForm)
        -> [UIEffect]
    {
        let effect: UIEffect
        switch target {
        case .clientConnection:
            effect = .send(bytes: bytes)
        case .proxied(nil, _):
            notice = "not sent: no open connection to inject into"
            return []
        case .proxied(let connection?, let direction):
            guard connections[connection]?.isOpen ?? true else {
                notice = "not sent: connection \(connection) is closed (←→ on conn picks an open one)"
                return []
            }
            effect = .inject(connection: connection, direction: direction, bytes: bytes)
        case .heldFrame(let holdID, _, _):
            guard let index = heldFrames.firstIndex(where: { $0.holdID == holdID }) else {
                notice = "not sent: held frame \(holdID) was already forwarded or dropped"
                return []
            }
            heldFrames.remove(at: index)
            overlaySelection = min(overlaySelection, max(0, heldFrames.count - 1))
            composer = nil
            effect = .decideHeld(holdID: holdID, decision: .replace(bytes))
        }
        var remembered = form
        remembered.focus = .payload
        remembered.recentSelection = 0
        remembered.loadedFile = nil  // loaded back, the file is read again
        remembered.cursor = nil
        // It joins the recent list once the glue says it went.
        pendingCrafted.append(
            (effect, CraftedFrame(form: remembered, bytes: bytes, summary: form.summary(byteCount: bytes.count))))
        if pendingCrafted.count > CraftedFrame.limit { pendingCrafted.removeFirst() }
        notice = "sending \(CountWords.of(bytes.count, "byte")): \(target.words)"
        return [effect]
    }

    /// The glue says whether a frame was sent: a frame the composer sent joins the recent list (only then).
    mutating func sendReported(_ effect: UIEffect, error: String?) {
        let index = pendingCrafted.firstIndex { $0.effect == effect }
        let crafted = index.map { pendingCrafted.remove(at: $0).frame }
        if let error {
            notice = "not sent: \(error)"
            return
        }
        guard let crafted else { return }
        notice = "sent \(CountWords.of(crafted.bytes.count, "byte")): \(crafted.form.target.words)"
        remember(crafted)
    }

    /// Puts a frame sent at the top of the recent list, within its count and byte budget.
    private mutating func remember(_ crafted: CraftedFrame) {
        craftedFrames.insert(crafted, at: 0)
        var kept = 0
        var keptBytes = 0
        for frame in craftedFrames {
            if kept > 0, kept == CraftedFrame.limit || keptBytes + frame.bytes.count > CraftedFrame.byteBudget { break }
            kept += 1
            keptBytes += frame.bytes.count
        }
        craftedFrames.removeLast(craftedFrames.count - kept)
    }

    /// Builds what the overlay shows, after every change to the form (or to the key source).
    mutating func refreshComposerPreview() {
        guard let form = composer else {
            composerPreview = nil
            return
        }
        composerPreview = ComposerOverlay.previewFrames(form, state: self)
    }

    /// The glue read the payload file.
    mutating func fileLoaded(path: String, bytes: [UInt8]) {
        guard var form = composer, form.payloadSource == .file, form.payloadText.trimmingSpaces == path else { return }
        form.loadedFile = ComposerForm.LoadedFile(path: path, bytes: bytes)
        composer = form
        notice = "read \(CountWords.of(bytes.count, "byte")) from \(path): Enter sends"
    }
}
