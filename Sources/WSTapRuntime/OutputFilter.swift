public import WSTapFilter
public import WSTapLenses

/// `--filter FILTER` of `wstap proxy` and `wstap view`: which frames and messages `--jsonl` and `--no-tui`
/// print (docs/filters.md).
public enum OutputFilter {
    /// The expression of `text`, or nil without one: an error pointing at the column when it does not
    /// parse, when it tests lenses that are off, or when nothing is printed (the terminal UI filters with `f`).
    public static func expression(
        _ text: String?, lenses: LensReader.Choice, printing: Bool
    ) throws(CommandFailure) -> FilterExpression? {
        guard let text else { return nil }
        guard printing else {
            throw CommandFailure("--filter picks what --jsonl and --no-tui print; in the terminal UI, filter with f")
        }
        let expression: FilterExpression
        do {
            expression = try FilterExpression(parsing: text)
        } catch {
            throw CommandFailure("--filter: \(error.description)\n" + error.pointing(into: text))
        }
        if expression.readsLenses, !lenses.isOn {
            throw CommandFailure("--filter: ~lens and ~field test what lenses read, and --lens none turns them off")
        }
        return expression
    }
}
