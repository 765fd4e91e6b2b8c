import WSTapCore

/// The top line: mode, addresses, connections, rates with a sparkline, recording, intercept, hybi-00
/// framing (the selected frame's connection's, else the default), and whether the list follows.
enum StatusBar {
    static func draw(_ state: UIState, into grid: inout CellGrid) {
        let style = CellStyle(.statusBar, [.reverse])
        grid.fill(row: 0, style: style)
        var left = " wstap \(state.mode.rawValue)"
        switch state.mode {
        case .proxy:
            if !state.listenAddress.isEmpty { left += " \(state.listenAddress)" }
            if !state.upstream.isEmpty { left += " → \(state.upstream)" }
        case .forward:
            if !state.listenAddress.isEmpty { left += " \(state.listenAddress)" }
            if !state.upstream.isEmpty { left += " · CA \(state.upstream)" }
        case .client, .viewer:
            if !state.upstream.isEmpty { left += " \(state.upstream)" }
        case .server:
            if !state.listenAddress.isEmpty { left += " \(state.listenAddress)" }
        }
        let open = state.connections.values.filter(\.isOpen).count
        var right: [String] = [
            "conns \(open)/\(state.connections.count)",
            "\(state.rates.framesPerSecond) f/s \(ByteCountText.bytes(state.rates.bytesPerSecond))/s"
                + (grid.columns >= 100 ? " " + state.rates.sparkline(width: 8) : ""),
            "frames \(state.framesSeen)",
        ]
        if state.mode == .client { right.append(contentsOf: state.clientStatusWords) }
        if let path = state.recordingPath { right.append("● REC \(path)") }
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
            grid.write(left, row: 0, column: 0, style: style.bold, limit: leftRoom)
            grid.write(rightText, row: 0, column: grid.columns - rightWidth, style: style)
        } else {
            // Narrow: the rates and flags first, then as much of the rest as fits.
            let end = grid.write(rightText, row: 0, column: 0, style: style)
            grid.write(left, row: 0, column: end + 1, style: style.bold)
        }
    }
}
