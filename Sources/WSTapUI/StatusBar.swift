import WSTapCore

/// The top line: mode, addresses, connections, rates with a sparkline, recording, intercept, hybi-00
/// framing (the selected frame's connection's, else the default), and whether the list follows.
enum StatusBar {
    static func draw(_ state: UIState, into grid: inout CellGrid) {
        let style = CellStyle(.statusBar, [.reverse])
        grid.fill(row: 0, style: style)
        // The left side's fields, each shown whole, shortened where it can be (a URL without its path) or
        // left out: never cut in the middle.
        var fields: [(String, String?)] = [(" wstap \(state.mode.rawValue)", nil)]
        switch state.mode {
        case .proxy:
            if !state.listenAddress.isEmpty { fields.append((" \(state.listenAddress)", nil)) }
            if !state.upstream.isEmpty {
                fields.append((" → \(state.upstream)", shortURL(state.upstream).map { " → " + $0 }))
            }
        case .forward:
            if !state.listenAddress.isEmpty { fields.append((" \(state.listenAddress)", nil)) }
            if !state.upstream.isEmpty { fields.append((" · CA \(state.upstream)", nil)) }
        case .client, .viewer:
            if !state.upstream.isEmpty {
                fields.append((" \(state.upstream)", shortURL(state.upstream).map { " " + $0 }))
            }
        case .server:
            if !state.listenAddress.isEmpty { fields.append((" \(state.listenAddress)", nil)) }
        }
        let left = fields.map(\.0).joined()
        let open = state.connections.values.filter(\.isOpen).count
        // A recording is not live: no rates, its size instead.
        let traffic =
            state.mode == .viewer
            ? ByteCountText.bytes(state.totalBytes)
            : "\(state.rates.framesPerSecond) f/s \(ByteCountText.bytes(state.rates.bytesPerSecond))/s"
                + (grid.columns >= 100 ? " " + state.rates.sparkline(width: 8) : "")
        var right: [String] = ["conns \(open)/\(state.connections.count)", traffic, "frames \(state.framesSeen)"]
        if state.mode == .client { right.append(contentsOf: state.clientStatusWords) }
        if let path = state.recordingPath {
            right.append(state.recordingBehind ? "● REC behind \(path)" : "● REC \(path)")
        }
        if state.intercept { right.append("INTERCEPT \(state.heldFrames.count) held") }
        if let selected = state.selected, let row = state.frames.row(selected),
            let summary = state.connections[row.connection], summary.variant == .hybi00
        {
            right.append("hybi00 #\(row.connection) \(summary.framing.rawValue)")
        } else if state.mode == .client, let id = state.connectionOrder.last, let summary = state.connections[id],
            summary.variant == .hybi00
        {
            right.append("hybi00 \(summary.framing.rawValue)")
        } else if state.connections.values.contains(where: { $0.variant == .hybi00 }) {
            right.append("hybi00 \(state.defaultFraming.rawValue)")
        }
        if let filter = state.filter { right.append("filter: \(filter.words)") }
        right.append(state.pausedAt != nil ? "PAUSED" : state.following ? "FOLLOW" : "SCROLL")
        if state.mode == .client {
            // One connection: no count; the URL goes before the rates when they do not both fit.
            right.removeFirst()
            for _ in 0..<2 where CharacterWidth.of(left + right.joined(separator: " │ ")) + 2 > grid.columns {
                right.removeFirst()
            }
        }
        let rightText = right.joined(separator: " │ ") + " "
        let rightWidth = CharacterWidth.of(rightText)
        let leftRoom = grid.columns - rightWidth - 1
        if leftRoom >= 12 {
            grid.write(fitted(fields, room: leftRoom), row: 0, column: 0, style: style.bold, limit: leftRoom)
            grid.write(rightText, row: 0, column: grid.columns - rightWidth, style: style)
        } else {
            // Narrow: the rates and flags first, then the fields that fit whole.
            let end = grid.write(rightText, row: 0, column: 0, style: style)
            grid.write(fitted(fields, room: grid.columns - end - 1), row: 0, column: end + 1, style: style.bold)
        }
    }

    /// The fields that fit in `room` columns, in order: a field that does not fit whole goes in its short
    /// form when that fits, else it and the fields after it are left out.
    static func fitted(_ fields: [(String, String?)], room: Int) -> String {
        var text = ""
        for (whole, short) in fields {
            if CharacterWidth.of(text + whole) <= room {
                text += whole
            } else if let short, CharacterWidth.of(text + short) <= room {
                text += short
                break
            } else {
                break
            }
        }
        return text
    }

    /// A URL without its path (`ws://host:port/…`), when it has one.
    static func shortURL(_ url: String) -> String? {
        let characters = Array(url)
        guard
            let schemeEnd = (0..<max(0, characters.count - 2)).first(where: { index in
                characters[index] == ":" && characters[index + 1] == "/" && characters[index + 2] == "/"
            }),
            let slash = characters[(schemeEnd + 3)...].firstIndex(of: "/"), slash + 1 < characters.count
        else { return nil }
        return String(characters[..<slash]) + "/…"
    }
}
