import ArgumentParser
import WSTapFilter
import WSTapLenses

/// `--filter FILTER`: which frames and messages `--jsonl` and `--no-tui` print (docs/filters.md).
struct OutputFilterOption: ParsableArguments {
    @Option(
        name: .customLong("filter"),
        help: ArgumentHelp(
            "Print only the frames and messages a filter matches (docs/filters.md), such as '~dir c2s & ~op text' "
                + "or '~lens socketio & ~field event == chat' (lens tests match messages).",
            valueName: "FILTER"))
    var text: String?

    /// The expression, or nil without --filter; an error pointing at the column when it does not parse, when
    /// it tests lenses that are off, or when nothing is printed (the terminal UI filters with `f`).
    func expression(lenses: LensReader.Choice, printing: Bool) throws -> FilterExpression? {
        guard let text else { return nil }
        guard printing else {
            throw ValidationError("--filter picks what --jsonl and --no-tui print; in the terminal UI, filter with f")
        }
        let expression: FilterExpression
        do {
            expression = try FilterExpression(parsing: text)
        } catch {
            throw ValidationError("--filter: \(error.description)\n" + error.pointing(into: text))
        }
        if expression.readsLenses, !lenses.isOn {
            throw ValidationError("--filter: ~lens and ~field test what lenses read, and --lens none turns them off")
        }
        return expression
    }
}
