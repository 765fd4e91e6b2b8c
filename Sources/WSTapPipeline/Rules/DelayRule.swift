public import WSTapFilter

/// A rule that holds the messages it takes for a while before they go on (`--delay FILTER=MS`), in order: the
/// messages behind a delayed one in the same direction wait for it. `MS` is milliseconds (`300`), or a number
/// with `ms` or `s` (`1.5s`), at most ten minutes.
public struct DelayRule: Sendable {
    /// The rule as it was written.
    public let text: String
    /// Which messages it takes (all when nil).
    public let filter: FilterExpression?
    /// How long they wait, in milliseconds.
    public let milliseconds: Int

    /// Reads a rule such as `~dir s2c=300` or `~b ping=1.5s`.
    public init(parsing text: String) throws(RewriteRule.SyntaxError) {
        let parts = try FilteredRuleText(text, flag: "--delay", valueName: "MS")
        guard let milliseconds = Self.milliseconds(parts.value.trimmingWhitespace) else {
            throw RewriteRule.SyntaxError(
                description:
                    "--delay takes FILTER=MS, and \"\(parts.value)\" is not a duration: write milliseconds (300), "
                    + "or a number with ms or s (1.5s), up to 10 minutes")
        }
        self.text = text
        filter = parts.filter
        self.milliseconds = milliseconds
    }

    private static func milliseconds(_ value: String) -> Int? {
        var number = Substring(value)
        var scale = 1.0
        if number.hasSuffix("ms") {
            number = number.dropLast(2)
        } else if number.hasSuffix("s") {
            number = number.dropLast()
            scale = 1000
        }
        guard let amount = Double(number), amount.isFinite, amount >= 0 else { return nil }
        let milliseconds = amount * scale
        guard milliseconds <= 600_000 else { return nil }
        return Int(milliseconds.rounded())
    }
}

extension String {
    /// The string without spaces and tabs at either end.
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
