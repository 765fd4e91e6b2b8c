public import WSTapFilter

extension RuleStage {
    /// The rules of the proxy's flags as written: `--drop`, `--respond`, `--rewrite`, `--delay` (each
    /// repeatable), in the order they apply. Nil when there are none; a rule that does not read throws an error
    /// naming its flag, with the column for a filter.
    public convenience init?(
        drops: [String], responds: [String], rewrites: [String], delays: [String]
    ) throws(RewriteRule.SyntaxError) {
        var rules: [Rule] = []
        for text in drops {
            do {
                rules.append(.drop(try FilterExpression(parsing: text), text: text))
            } catch {
                throw RewriteRule.SyntaxError(
                    description: "--drop: \(error.description)\n" + error.pointing(into: text))
            }
        }
        for text in responds { rules.append(.respond(try RespondRule(parsing: text))) }
        for text in rewrites {
            do {
                rules.append(.rewrite(try RewriteRule(parsing: text)))
            } catch {
                throw RewriteRule.SyntaxError(description: "--rewrite: \(error.description)")
            }
        }
        for text in delays { rules.append(.delay(try DelayRule(parsing: text))) }
        guard !rules.isEmpty else { return nil }
        self.init(rules: rules)
    }
}
