import ArgumentParser
import WSTapLenses

/// `--lens NAME`: which lens reads the messages that `--jsonl` and `--no-tui` print (docs/lenses.md).
struct LensOption: ParsableArguments {
    @Option(
        name: .customLong("lens"),
        help: ArgumentHelp(
            "The lens that reads every connection's messages (\(LensRegistry.names.joined(separator: ", "))), "
                + "auto (the default: the lens that recognises each connection) or none.",
            valueName: "NAME"))
    var name: String?

    /// The lenses chosen.
    func choice() throws -> LensReader.Choice {
        guard let choice = LensReader.Choice(name: name) else {
            throw ValidationError(
                "--lens \(name ?? ""): no such lens; give one of \(LensRegistry.names.joined(separator: ", ")), "
                    + "auto or none")
        }
        return choice
    }

    func validate() throws {
        _ = try choice()
    }
}
