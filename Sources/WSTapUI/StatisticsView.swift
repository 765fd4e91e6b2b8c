import WSTapCore
import WSTapLenses

/// The statistics view (`S`): messages per second and bytes per second over time each way, as bar charts
/// in cells, then the per-method table of the lenses (count, answers, latency p50/p99/max, errors,
/// unanswered, bytes; `s` sorts it) or the slowest calls (`t`; Enter goes to one).
enum StatisticsView {
    static func draw(_ state: UIState, into grid: inout CellGrid, layout: Layout) {
        let heading = CellStyle(.heading, [.bold, .underline])
        let history = state.lenses.history
        let seconds = history.seconds(.clientToServer).count
        grid.fill(row: layout.headingRow, style: heading)
        grid.write(
            cutting: "statistics · messages/s and bytes/s each way, one column a second (\(seconds) s)",
            row: layout.headingRow, column: 1, style: heading)
        let available = layout.hintRow - layout.listTop
        // Two charts, a label line each; the table gets the rest (at least 4 lines).
        let chartHeight = max(1, min(6, (available - 2 - 5) / 4))
        var row = layout.listTop
        for direction in TrafficDirection.allCases {
            let style = CellStyle(direction == .clientToServer ? .clientToServer : .serverToClient)
            let counts = history.seconds(direction)
            let total = history.total(direction)
            let last = counts.last ?? DirectionHistory.Second()
            let peak = counts.map(\.messages).max() ?? 0
            let average = total.messages > 0 ? total.bytes / UInt64(total.messages) : 0
            let label =
                "\(direction.arrow) \(direction == .clientToServer ? "client → server" : "server → client") · "
                + "\(CountWords.of(total.messages, "message")), \(ByteCountText.bytes(total.bytes)) · "
                + "last second \(last.messages)/s \(ByteCountText.bytes(last.bytes))/s · peak \(peak)/s · "
                + "average \(ByteCountText.bytes(average))"
            grid.write(cutting: label, row: row, column: 1, style: style.bold)
            row += 1
            let width = max(2, (grid.columns - 3) / 2)
            let messages = CellChart.rows(counts.suffix(width).map { Double($0.messages) }, height: chartHeight)
            let bytes = CellChart.rows(counts.suffix(width).map { Double($0.bytes) }, height: chartHeight)
            for line in 0..<chartHeight where row + line < layout.hintRow {
                grid.write(messages[line], row: row + line, column: 1, style: style, limit: 1 + width)
                grid.write(bytes[line], row: row + line, column: 2 + width, style: style, limit: 2 + 2 * width)
            }
            let scale = "msgs/s, top \(peak)"
            let bytesPeak = counts.suffix(width).map(\.bytes).max() ?? 0
            if chartHeight > 1, row < layout.hintRow {
                grid.write(scale, row: row, column: 1 + width - scale.count, style: CellStyle(.dim))
                let bytesScale = "bytes/s, top \(ByteCountText.bytes(bytesPeak))"
                grid.write(
                    bytesScale, row: row, column: max(2 + width, 2 + 2 * width - bytesScale.count),
                    style: CellStyle(.dim))
            }
            row += chartHeight
        }
        if state.statisticsShowsSlowest {
            drawSlowest(state, into: &grid, top: row, bottom: layout.hintRow)
        } else {
            drawMethods(state, into: &grid, top: row, bottom: layout.hintRow)
        }
    }

    static let methodColumns: [(String, Int)] = [
        ("lens", 6), ("method", 24), ("count", 7), ("answers", 8), ("p50 ms", 9), ("p99 ms", 9), ("max ms", 9),
        ("errors", 7), ("unanswered", 11), ("bytes", 9),
    ]
    /// The same columns in 80: shorter names, a narrower method.
    static let narrowMethodColumns: [(String, Int)] = [
        ("lens", 5), ("method", 16), ("count", 6), ("ans", 5), ("p50 ms", 8), ("p99 ms", 8), ("max ms", 8),
        ("err", 4), ("unans", 6), ("bytes", 9),
    ]

    static func drawMethods(_ state: UIState, into grid: inout CellGrid, top: Int, bottom: Int) {
        guard top < bottom else { return }
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: top, style: heading)
        let methods = state.sortedMethods
        let methodColumns = grid.columns < 110 ? narrowMethodColumns : methodColumns
        var column = 1
        for (name, width) in methodColumns {
            let sorted = isSortColumn(name, state.statisticsSort)
            column = grid.write(
                padded: sorted ? name + "▼" : name, row: top, column: column, width: width, style: heading)
        }
        guard !methods.isEmpty else {
            let why =
                state.lenses.isActive
                ? "no message read by a lens yet" : "lenses are off (--lens none): L turns one on for a connection"
            grid.write(why, row: top + 1, column: 2, style: CellStyle(.dim))
            return
        }
        for (index, method) in methods.enumerated() {
            let row = top + 1 + index
            guard row < bottom else { break }
            if row == bottom - 1, index < methods.count - 1 {
                grid.write("… \(methods.count - index) more", row: row, column: 2, style: CellStyle(.dim))
                break
            }
            let style = CellStyle(method.errors + method.unanswered > 0 ? .violation : .normal)
            let cells = [
                UIState.lensTag(method.lens), method.method, "\(method.count)", "\(method.answers)",
                milliseconds(method.latency(percentile: 0.5)), milliseconds(method.latency(percentile: 0.99)),
                milliseconds(method.maxLatency), "\(method.errors)", "\(method.unanswered)",
                ByteCountText.bytes(method.bytes),
            ]
            var at = 1
            for (cell, column) in zip(cells, methodColumns) {
                at = grid.write(padded: fit(cell, column.1 - 1), row: row, column: at, width: column.1, style: style)
            }
        }
    }

    static func drawSlowest(_ state: UIState, into grid: inout CellGrid, top: Int, bottom: Int) {
        guard top < bottom else { return }
        let heading = CellStyle(.heading, [.bold, .underline])
        grid.fill(row: top, style: heading)
        grid.write(
            "slowest calls       ms  lens   method                   request (Enter goes to it)", row: top,
            column: 1, style: heading)
        let calls = state.lenses.slowest
        guard !calls.isEmpty else {
            grid.write("no answered call yet", row: top + 1, column: 2, style: CellStyle(.dim))
            return
        }
        let height = bottom - top - 1
        let selection = min(state.overlaySelection, calls.count - 1)
        let first = max(0, min(selection - height / 2, calls.count - height))
        for line in 0..<height {
            let index = first + line
            guard index < calls.count else { break }
            let call = calls[index]
            let row = top + 1 + line
            var style = CellStyle(.normal)
            if index == selection { style = style.reversed }
            grid.fill(row: row, style: style)
            let rows = (call.request.map { "#\($0 + 1) → " } ?? "") + "#\(call.answer + 1)"
            let text =
                padded(rows, 18) + " " + FrameListView.rightAligned(milliseconds(call.latencyNanoseconds), 8) + "  "
                + padded(UIState.lensTag(call.lens), 6) + " " + padded(call.method, 24) + " " + call.summary
            grid.write(cutting: text, row: row, column: 1, style: style)
        }
    }

    static func sortColumn(_ sort: StatisticsSort) -> String {
        switch sort {
        case .count: return "count"
        case .bytes: return "bytes"
        case .p50: return "p50 ms"
        case .p99: return "p99 ms"
        case .max: return "max ms"
        case .errors: return "errors"
        }
    }

    /// Whether a heading names the column the table is sorted by (the narrow table's `err` too).
    static func isSortColumn(_ name: String, _ sort: StatisticsSort) -> Bool {
        name == sortColumn(sort) || (sort == .errors && name == "err")
    }

    static func milliseconds(_ nanoseconds: UInt64?) -> String {
        guard let nanoseconds else { return "-" }
        return String(UIState.milliseconds(nanoseconds).dropLast(3))
    }

    /// `text` cut or padded with spaces to `width` columns.
    static func padded(_ text: String, _ width: Int) -> String {
        let cut = fit(text, width)
        return cut + String(repeating: " ", count: max(0, width - CharacterWidth.of(cut)))
    }

    static func fit(_ text: String, _ width: Int) -> String {
        guard CharacterWidth.of(text) > width else { return text }
        return String(text.prefix(max(0, width - 1))) + "…"
    }
}

/// A bar chart drawn with block characters: one column per value, `height` rows, scaled to the largest
/// value (a value above zero shows at least its lowest eighth).
enum CellChart {
    static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The chart's rows, top first.
    static func rows(_ values: [Double], height: Int) -> [String] {
        let peak = values.max() ?? 0
        var rows = [String](repeating: "", count: height)
        for value in values {
            var level = peak > 0 ? Int((value / peak * Double(height * 8)).rounded()) : 0
            if value > 0 { level = max(1, level) }
            for line in 0..<height {
                let fromBottom = height - 1 - line
                rows[line].append(eighths[max(0, min(8, level - fromBottom * 8))])
            }
        }
        return rows
    }
}
