import NIOCore
public import WSTapFilter
public import WSTapLenses

extension ScriptStage.Configuration {
    /// A mistake in the script options, in words.
    public struct OptionError: Error, CustomStringConvertible {
        /// What is wrong.
        public var description: String
    }

    /// The scripts of `wstap proxy`'s options: one per `--script COMMAND`, numbered in order, each given the
    /// messages `--script-filter` matches (all without one) and answering within `--script-timeout` milliseconds.
    public static func fromOptions(
        commands: [String], filter: String?, timeoutMilliseconds: Int, lenses: LensReader.Choice
    ) throws(OptionError) -> [ScriptStage.Configuration] {
        guard !commands.isEmpty else {
            if filter != nil { throw OptionError(description: "--script-filter is for --script: give a --script") }
            return []
        }
        guard timeoutMilliseconds > 0, timeoutMilliseconds <= 600_000 else {
            throw OptionError(
                description: "--script-timeout takes milliseconds from 1 to 600000, not \(timeoutMilliseconds)")
        }
        var expression: FilterExpression?
        if let filter {
            do {
                expression = try FilterExpression(parsing: filter)
            } catch {
                throw OptionError(description: "--script-filter: \(error.description)\n" + error.pointing(into: filter))
            }
        }
        for command in commands where command.allSatisfy(\.isWhitespace) {
            throw OptionError(description: "--script: the command is empty")
        }
        return commands.enumerated().map { index, command in
            ScriptStage.Configuration(
                command: command, number: index + 1, filter: expression,
                timeout: .milliseconds(Int64(timeoutMilliseconds)), lenses: lenses)
        }
    }
}
