import ArgumentParser
import WSTapFilter
import WSTapLenses
import WSTapRuntime

/// `--filter FILTER`: which frames and messages `--jsonl` and `--no-tui` print (docs/filters.md).
struct OutputFilterOption: ParsableArguments {
    @Option(
        name: .customLong("filter"),
        help: ArgumentHelp(
            "Print only the frames and messages a filter matches (docs/filters.md), such as '~dir c2s & ~op text' "
                + "or '~lens socketio & ~field event == chat' (lens tests match messages).",
            valueName: "FILTER"))
    var text: String?

    /// The expression (``OutputFilter/expression(_:lenses:printing:)``).
    func expression(lenses: LensReader.Choice, printing: Bool) throws -> FilterExpression? {
        try OutputFilter.expression(text, lenses: lenses, printing: printing)
    }
}
