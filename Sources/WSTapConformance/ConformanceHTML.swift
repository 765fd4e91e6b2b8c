/// The static report of `wstap conformance --html DIR`: one page with the summary per category, the list of
/// cases (filtered by verdict with checkboxes and a few lines of inline script; without script every case shows),
/// and for each case what was sent, expected and received, why it got its verdict, and its connection's
/// transcript (the lines `wstap view` prints, and a link to the recording).
public enum ConformanceHTML {
    /// A case's transcript: the recording's path relative to the page, and its events in words.
    public struct Transcript: Sendable {
        /// Where the recording is, relative to the page (`transcripts/1.1.1.jsonl`).
        public var link: String
        /// One line per event.
        public var lines: [String]

        /// A transcript at `link` with these lines.
        public init(link: String, lines: [String]) {
            self.link = link
            self.lines = lines
        }
    }

    /// The page's HTML.
    public static func page(_ report: ConformanceReport, transcripts: [String: Transcript]) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>wstap conformance: \(escape(report.target))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5em; }
            table { border-collapse: collapse; }
            th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
            td.n { text-align: right; }
            .v-OK { color: #186a1a; } .v-NON-STRICT { color: #8a6d00; } .v-INFORMATIONAL { color: #1c4f8a; }
            .v-UNIMPLEMENTED { color: #666; } .v-FAILED { color: #b00020; font-weight: bold; }
            section.case { border-top: 1px solid #ccc; margin-top: 1em; }
            section.case h3 { margin-bottom: 0.3em; }
            pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; font-size: 85%; }
            dt { font-weight: bold; } dd { margin: 0 0 0.4em 1.5em; white-space: pre-wrap; }
            .hidden { display: none; }
            </style>
            </head>
            <body>
            <h1>wstap conformance: \(escape(report.target))</h1>
            <p>\(report.results.count) cases in \(ConformanceReport.seconds(report.duration)); \
            \(Verdict.allCases.map { "\(escape($0.rawValue)) \(report.counts[$0, default: 0])" }.joined(separator: ", ")).</p>

            """
        html += summaryTable(report)
        html += "<h2>Cases</h2>\n<p id=\"filters\">Show:\n"
        for verdict in Verdict.allCases {
            html +=
                "<label><input type=\"checkbox\" data-verdict=\"\(verdict.rawValue)\" checked> "
                + "<span class=\"v-\(verdict.rawValue)\">\(verdict.rawValue)</span> "
                + "(\(report.counts[verdict, default: 0]))</label>\n"
        }
        html += "</p>\n<table id=\"cases\">\n<thead><tr><th>id</th><th>verdict</th><th>case</th><th>ms</th>"
        html += "<th>detail</th></tr></thead>\n<tbody>\n"
        for result in report.results {
            html +=
                "<tr class=\"v-\(result.verdict.rawValue)\" data-verdict=\"\(result.verdict.rawValue)\">"
                + "<td><a href=\"#\(anchor(result.id))\">\(escape(result.id))</a></td>"
                + "<td>\(result.verdict.rawValue)</td><td>\(escape(result.name))</td>"
                + "<td class=\"n\">\(result.durationMilliseconds)</td><td>\(escape(result.detail))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n<h2>Each case</h2>\n"
        for result in report.results {
            html +=
                "<section class=\"case\" id=\"\(anchor(result.id))\" data-verdict=\"\(result.verdict.rawValue)\">\n"
                + "<h3>\(escape(result.id)) \(escape(result.name)): "
                + "<span class=\"v-\(result.verdict.rawValue)\">\(result.verdict.rawValue)</span></h3>\n<dl>\n"
            let fields = [
                ("sent", result.sent), ("expected", result.expected), ("received", result.received),
                ("why", result.detail.isEmpty ? "as expected" : result.detail),
                ("took", "\(result.durationMilliseconds) ms"),
            ]
            for (name, value) in fields {
                html += "<dt>\(name)</dt><dd>\(escape(value))</dd>\n"
            }
            html += "</dl>\n"
            if let transcript = transcripts[result.id] {
                html += "<p>Transcript (<a href=\"\(escape(transcript.link))\">recording</a>, "
                html += "<code>wstap view \(escape(transcript.link))</code>):</p>\n<pre>"
                html += transcript.lines.map(escape).joined(separator: "\n")
                html += "</pre>\n"
            }
            html += "<p><a href=\"#cases\">back to the list</a></p>\n</section>\n"
        }
        html += """
            <script>
            for (const box of document.querySelectorAll('#filters input')) {
              box.addEventListener('change', () => {
                for (const item of document.querySelectorAll('[data-verdict="' + box.dataset.verdict + '"]')) {
                  if (item !== box) item.classList.toggle('hidden', !box.checked);
                }
              });
            }
            </script>
            </body>
            </html>

            """
        return html
    }

    /// The table of verdicts per category.
    static func summaryTable(_ report: ConformanceReport) -> String {
        var html = "<table id=\"summary\">\n<thead><tr><th>category</th>"
        for verdict in Verdict.allCases { html += "<th class=\"v-\(verdict.rawValue)\">\(verdict.rawValue)</th>" }
        html += "</tr></thead>\n<tbody>\n"
        var categories: [(String, [CaseResult])] = []
        for result in report.results {
            let category = ConformanceCatalog.category(ofID: result.id)
            let name = "\(category.number) \(category.name)"
            if let index = categories.firstIndex(where: { $0.0 == name }) {
                categories[index].1.append(result)
            } else {
                categories.append((name, [result]))
            }
        }
        for (name, results) in categories + [("total", report.results)] {
            html += "<tr><td>\(escape(name))</td>"
            for verdict in Verdict.allCases {
                html += "<td class=\"n\">\(results.count { $0.verdict == verdict })</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// The element id of a case's section: `case-1.1.1`.
    public static func anchor(_ id: String) -> String {
        "case-" + id.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? String($0) : "_" }.joined()
    }

    /// Text made safe inside HTML elements and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
