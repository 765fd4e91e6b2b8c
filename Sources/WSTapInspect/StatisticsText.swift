public import WSTapCore
public import WSTapLenses

/// `wstap stats`: the tables of ``LensStatistics`` as aligned text, or as one JSON object.
public enum StatisticsText {
    /// Two tables: the connections, then the methods (the most frequent first).
    public static func tables(_ statistics: LensStatistics) -> String {
        var text = "connections\n"
        var rows = [
            ["#", "lens", "seconds", "c2s msgs", "c2s bytes", "s2c msgs", "s2c bytes", "msgs/s", "errors", "target"]
        ]
        for row in statistics.connections {
            rows.append([
                "\(row.connection)", row.lens ?? "-", decimal(row.seconds, places: 3),
                "\(row.messages[.clientToServer] ?? 0)", "\(row.bytes[.clientToServer] ?? 0)",
                "\(row.messages[.serverToClient] ?? 0)", "\(row.bytes[.serverToClient] ?? 0)",
                decimal(row.messagesPerSecond, places: 1), "\(row.errors)", row.target ?? "-",
            ])
        }
        text += aligned(rows)
        text += "\nmethods\n"
        rows = [["lens", "method", "count", "answers", "p50 ms", "p99 ms", "max ms", "errors", "unanswered", "bytes"]]
        for row in statistics.methods {
            rows.append([
                row.lens, row.method, "\(row.count)", "\(row.answers)", milliseconds(row.latency(percentile: 0.5)),
                milliseconds(row.latency(percentile: 0.99)), milliseconds(row.maxLatency), "\(row.errors)",
                "\(row.unanswered)", "\(row.bytes)",
            ])
        }
        text += aligned(rows)
        return text
    }

    /// `{"connections": [...], "methods": [...]}`, latencies in milliseconds (absent without answers).
    public static func json(_ statistics: LensStatistics) -> String {
        let connections = statistics.connections.map { row in
            var writer = JSONWriter()
            writer.add("connection", row.connection)
            if let target = row.target { writer.add("target", target) }
            if let lens = row.lens { writer.add("lens", lens) }
            writer.addRaw("seconds", decimal(row.seconds, places: 6))
            for direction in TrafficDirection.allCases {
                writer.add("\(direction.rawValue)Messages", row.messages[direction] ?? 0)
                writer.add("\(direction.rawValue)Bytes", row.bytes[direction] ?? 0)
            }
            writer.addRaw("messagesPerSecond", decimal(row.messagesPerSecond, places: 3))
            writer.add("errors", row.errors)
            return writer.json
        }
        let methods = statistics.methods.map { row in
            var writer = JSONWriter()
            writer.add("lens", row.lens)
            writer.add("method", row.method)
            writer.add("count", row.count)
            writer.add("answers", row.answers)
            if let p50 = row.latency(percentile: 0.5) { writer.addRaw("p50Ms", milliseconds(p50)) }
            if let p99 = row.latency(percentile: 0.99) { writer.addRaw("p99Ms", milliseconds(p99)) }
            if let max = row.maxLatency { writer.addRaw("maxMs", milliseconds(max)) }
            writer.add("errors", row.errors)
            writer.add("unanswered", row.unanswered)
            writer.add("bytes", row.bytes)
            return writer.json
        }
        var writer = JSONWriter()
        writer.addRaw("connections", JSONWriter.array(connections))
        writer.addRaw("methods", JSONWriter.array(methods))
        return writer.json
    }

    /// Columns padded to their widest cell, two spaces apart, the last one not padded.
    static func aligned(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Nanoseconds as milliseconds with three decimals, or `-`.
    static func milliseconds(_ nanoseconds: UInt64?) -> String {
        nanoseconds.map(LensText.milliseconds) ?? "-"
    }

    /// A non-negative number with `places` decimals (no exponent).
    static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite, value >= 0, value < 1e15 else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = UInt64((value * scale).rounded())
        let whole = String(scaled / UInt64(scale))
        guard places > 0 else { return whole }
        let fraction = String(scaled % UInt64(scale))
        return whole + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}
