import WSTapCore
import WSTapLenses

/// The top of the detail pane for a message a lens read: the lens and its summary, the request or answer
/// it pairs with (`a` jumps there), why it does not parse, and its decoded fields as a tree. The frame and
/// the raw payload follow below; `l` hides this part.
enum LensDetailLines {
    /// At most this many lines of fields are drawn per view.
    static let maxFieldLines = 400
    /// Bytes shown in hex on a field's line.
    static let maxHexBytes = 32

    static func lines(_ state: UIState, sequence: Int) -> [StyledLine] {
        // Plain JSON's tree is the payload's JSON view already.
        guard let row = state.lensRow(sequence), row.lens != "json" else { return [] }
        let heading = CellStyle(.heading, [.bold])
        let bad = CellStyle(.violation, [.bold])
        var out: [StyledLine] = []
        for (index, view) in row.views.enumerated() {
            var title = StyledLine("Lens \(row.lens)", heading)
            if row.views.count > 1 { title.add(" \(index + 1)/\(row.views.count)", heading) }
            title.add(" · ", heading)
            title.add(view.summary, view.problem != nil || view.isError ? bad : CellStyle(.normal))
            out.append(title)
            if let correlation = view.correlation {
                out.append(pairing(correlation, row: row, state: state))
            }
            if let problem = view.problem {
                out.append(StyledLine("  does not parse: \(problem)", bad))
                continue
            }
            var fieldLines: [StyledLine] = []
            if case .object(let fields) = view.fields {
                for field in fields { tree(field.name, field.value, depth: 1, into: &fieldLines) }
            }
            if fieldLines.count > maxFieldLines {
                let more = fieldLines.count - maxFieldLines
                fieldLines = Array(fieldLines.prefix(maxFieldLines))
                fieldLines.append(StyledLine("  … \(more) more lines", CellStyle(.dim)))
            }
            out.append(contentsOf: fieldLines)
        }
        out.append(StyledLine("  raw payload below · l hides the lens · L changes it", CellStyle(.dim)))
        out.append(StyledLine())
        return out
    }

    /// `request /#3 · answered by #12 in 2.655 ms · a jumps there`.
    static func pairing(_ correlation: LensCorrelation, row: LensRows.Row, state: UIState) -> StyledLine {
        var line = StyledLine("  \(correlation.role.rawValue) ", CellStyle(.accent, [.bold]))
        var words = correlation.id
        switch correlation.role {
        case .request:
            if let partner = row.partner {
                words += " · answered by #\(partner + 1)"
                if let latency = state.lenses.row(partner)?.latencyNanoseconds {
                    words += " in " + UIState.milliseconds(latency)
                }
                words += " · a jumps there"
            } else {
                words += row.unanswered ? " · no answer came" : " · no answer yet"
            }
        case .response:
            if let partner = row.partner {
                words += " · answers #\(partner + 1)"
                if let latency = row.latencyNanoseconds { words += " after " + UIState.milliseconds(latency) }
                words += " · a jumps there"
            } else {
                words += " · its request was not seen"
            }
        case .event:
            break
        }
        line.add(words, row.unanswered ? CellStyle(.violation) : CellStyle(.normal))
        return line
    }

    /// A field and what it holds: a value on its line, the members of an object or the elements of a list
    /// on the lines below, indented.
    static func tree(_ name: String, _ value: LensValue, depth: Int, into out: inout [StyledLine]) {
        guard out.count <= maxFieldLines else { return }
        let indent = String(repeating: "  ", count: depth)
        var line = StyledLine(indent + name, CellStyle(.heading))
        switch value {
        case .object(let fields):
            line.add(fields.isEmpty ? " {}" : "", CellStyle(.dim))
            out.append(line)
            for field in fields { tree(field.name, field.value, depth: depth + 1, into: &out) }
        case .list(let elements):
            line.add(elements.isEmpty ? " []" : " (\(elements.count))", CellStyle(.dim))
            out.append(line)
            for (index, element) in elements.enumerated() {
                tree("[\(index)]", element, depth: depth + 1, into: &out)
            }
        case .bytes(let bytes):
            line.add(": ")
            let hex = bytes.prefix(maxHexBytes).map { HexByte.text($0) }.joined(separator: " ")
            line.add(hex + (bytes.count > maxHexBytes ? " …" : ""), CellStyle(.accent))
            line.add(" (\(CountWords.of(bytes.count, "byte")))", CellStyle(.dim))
            out.append(line)
        default:
            line.add(": ")
            line.add(value.json(limit: 2000))
            out.append(line)
        }
    }
}
