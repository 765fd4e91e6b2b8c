public import WSTapFilter

/// The `FILTER=VALUE` form of the rules `--delay` and `--respond`: a filter expression (docs/filters.md), an
/// equals sign and a value. The filter may hold `=` itself (`~json op == ping`, `~json op = ping`): the split is
/// at the first `=` that is not part of an operator (nor has a space before it) and before which the text is a
/// whole filter expression. Without a FILTER part (`=VALUE`, or just `VALUE` when
/// `VALUE` has no `=`) the rule takes every message.
struct FilteredRuleText {
    var filter: FilterExpression?
    var value: String

    /// Splits `text` for the rule `flag`; throws with the reason when no split gives a filter and a value.
    init(_ text: String, flag: String, valueName: String) throws(RewriteRule.SyntaxError) {
        // An "=" of an operator (==, !=, <=, >=, ~=, or one with a space before it) never splits.
        let characters = Array(text)
        let equalsSigns = characters.indices.filter { index in
            guard characters[index] == "=" else { return false }
            guard index > 0 else { return true }
            let before = characters[index - 1]
            let after = index + 1 < characters.count ? characters[index + 1] : " "
            return !"=!<>~".contains(before) && !before.isWhitespace && after != "="
        }.map { text.index(text.startIndex, offsetBy: $0) }
        guard !equalsSigns.isEmpty else {
            filter = nil
            value = text
            return
        }
        var firstError: FilterSyntaxError?
        for index in equalsSigns {
            let filterText = String(text[..<index])
            let rest = String(text[text.index(after: index)...])
            if filterText.allSatisfy(\.isWhitespace) {
                filter = nil
                value = rest
                return
            }
            do {
                filter = try FilterExpression(parsing: filterText)
                value = rest
                return
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        let reason = firstError.map { ": \($0)" } ?? ""
        throw RewriteRule.SyntaxError(
            description: "\(flag) takes FILTER=\(valueName), and \"\(text)\" has no filter before an \"=\"\(reason)")
    }
}
