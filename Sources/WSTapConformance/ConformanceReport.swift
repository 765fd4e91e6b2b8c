import WSTapInspect

/// The results of a run in words: the summary table for the terminal and the JSON report.
public struct ConformanceReport: Sendable {
    /// What was tested (`ws://127.0.0.1:9001/`).
    public var target: String
    /// The results, in the cases' order.
    public var results: [CaseResult]
    /// How long the whole run took.
    public var duration: Duration

    /// A report of `results`.
    public init(target: String, results: [CaseResult], duration: Duration) {
        self.target = target
        self.results = results
        self.duration = duration
    }

    /// How many cases got each verdict.
    public var counts: [Verdict: Int] {
        results.reduce(into: [:]) { counts, result in counts[result.verdict, default: 0] += 1 }
    }

    /// Whether any case failed (the exit status is 1 then).
    public var hasFailures: Bool { results.contains { $0.verdict == .failed } }

    /// The table: one row per category with its verdict counts and a total, then one line per case that was
    /// not OK with why.
    public var table: String {
        let verdicts = Verdict.allCases
        let header = ["category"] + verdicts.map(\.rawValue)
        var rows: [[String]] = []
        var byCategory: [(ConformanceCatalog.Category, [CaseResult])] = []
        for result in results {
            let category = ConformanceCatalog.category(ofID: result.id)
            if let index = byCategory.firstIndex(where: { $0.0 == category }) {
                byCategory[index].1.append(result)
            } else {
                byCategory.append((category, [result]))
            }
        }
        for (category, results) in byCategory {
            rows.append(
                ["\(category.number) \(category.name)"]
                    + verdicts.map { verdict in "\(results.count { $0.verdict == verdict })" })
        }
        rows.append(["total"] + verdicts.map { verdict in "\(results.count { $0.verdict == verdict })" })
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        var lines = [
            "\(target): \(results.count) cases in \(Self.seconds(duration))", line(header),
        ]
        lines += rows.map(line)
        let notOK = results.filter { $0.verdict != .ok }
        if !notOK.isEmpty {
            lines.append("")
            for result in notOK {
                lines.append("\(result.verdict.rawValue) \(result.id) \(result.name): \(result.detail)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The JSON report: `{"target": ..., "durationMs": ..., "counts": {...}, "cases": [{"id", "verdict",
    /// "description", "durationMs", "detail", "sent", "expected", "received"}]}`.
    public var json: String {
        var summary = JSONWriter()
        for verdict in Verdict.allCases { summary.add(verdict.rawValue, counts[verdict, default: 0]) }
        let cases = results.map { result in
            var item = JSONWriter()
            item.add("id", result.id)
            item.add("verdict", result.verdict.rawValue)
            item.add("description", result.name)
            item.add("durationMs", result.durationMilliseconds)
            item.add("detail", result.detail)
            item.add("sent", result.sent)
            item.add("expected", result.expected)
            item.add("received", result.received)
            return item.json
        }
        var report = JSONWriter()
        report.add("target", target)
        report.add("durationMs", CaseResult.milliseconds(duration))
        report.addRaw("counts", summary.json)
        report.addRaw("cases", JSONWriter.array(cases))
        return report.json + "\n"
    }

    /// "12.3 s".
    static func seconds(_ duration: Duration) -> String {
        let tenths = CaseResult.milliseconds(duration) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
