import ArgumentParser
import WSTapLenses
import WSTapRuntime
import WSTapScript

/// `--script CMD`, `--script-filter FILTER`, `--script-timeout MS` of `wstap proxy` (docs/scripts.md).
struct ScriptFlags: ParsableArguments {
    @Option(
        name: .customLong("script"),
        help: ArgumentHelp(
            "Run a program that sees each message and says what becomes of it (repeatable: in order, after the "
                + "rules).",
            discussion:
                "CMD runs under /bin/sh -c and speaks JSON lines on its standard input and output: one line per "
                + "message, one answer per line (pass, replace, drop, close, inject, reply). See docs/scripts.md.",
            valueName: "cmd"))
    var commands: [String] = []

    @Option(
        name: .customLong("script-filter"),
        help: ArgumentHelp(
            "Give the scripts only the messages this filter matches (docs/filters.md); the rest pass at once.",
            valueName: "filter"))
    var filter: String?

    @Option(
        name: .customLong("script-timeout"),
        help: ArgumentHelp(
            "Milliseconds a script may take to answer one message; then the message passes unchanged and the "
                + "script is started again.",
            valueName: "ms"))
    var timeout = 5000

    /// The scripts asked for.
    func configurations(lenses: LensReader.Choice) throws -> [ScriptStage.Configuration] {
        do {
            return try ScriptStage.Configuration.fromOptions(
                commands: commands, filter: filter, timeoutMilliseconds: timeout, lenses: lenses)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
