import WSTapCore
import WSTapLenses

/// Reads the filter language: `~name [argument]` tests, `!`, `&` (or nothing: two tests side by side must both
/// hold), `|`, parentheses. Arguments are words, "quoted strings" (with `\"` and `\\`), or `/regular
/// expressions/` (`/.../i` ignores case). Errors name the column.
struct FilterParser {
    private let characters: [Character]
    private var position = 0

    init(_ text: String) {
        characters = Array(text)
    }

    mutating func parse() throws(FilterSyntaxError) -> FilterExpression {
        skipSpaces()
        guard position < characters.count else { throw error("an empty filter: write a test such as ~dir c2s") }
        let expression = try parseOr()
        skipSpaces()
        if position < characters.count {
            throw error(characters[position] == ")" ? "a ) without its (" : "expected &, | or the end here")
        }
        return expression
    }

    // MARK: - Grammar

    private mutating func parseOr() throws(FilterSyntaxError) -> FilterExpression {
        var left = try parseAnd()
        while consume("|") {
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(FilterSyntaxError) -> FilterExpression {
        var left = try parseNot()
        while true {
            skipSpaces()
            if consume("&") {
                left = .and(left, try parseNot())
            } else if position < characters.count, "~!(".contains(characters[position]) {
                left = .and(left, try parseNot())
            } else {
                return left
            }
        }
    }

    private mutating func parseNot() throws(FilterSyntaxError) -> FilterExpression {
        skipSpaces()
        if consume("!") { return .not(try parseNot()) }
        if consume("(") {
            let open = position
            let inner = try parseOr()
            skipSpaces()
            guard consume(")") else { throw FilterSyntaxError(column: open, "this ( is never closed") }
            return inner
        }
        return .test(try parseTest())
    }

    private mutating func parseTest() throws(FilterSyntaxError) -> FilterTest {
        skipSpaces()
        let start = position
        guard consume("~") else {
            throw error(
                position < characters.count
                    ? "expected a test such as ~dir, ~op, ~b here, not \"\(characters[position])\""
                    : "expected a test after this")
        }
        var name = ""
        while position < characters.count, characters[position].isLetter || characters[position].isNumber {
            name.append(characters[position])
            position += 1
        }
        switch name {
        case "all": return .all
        case "fin": return .fin
        case "rsv1": return .reservedBit(.rsv1)
        case "rsv2": return .reservedBit(.rsv2)
        case "rsv3": return .reservedBit(.rsv3)
        case "dir":
            let (word, column) = try argument(for: name)
            switch word.lowercased() {
            case "c2s", "up", "client": return .direction(.clientToServer)
            case "s2c", "down", "server": return .direction(.serverToClient)
            default: throw FilterSyntaxError(column: column, "~dir takes c2s or s2c, not \"\(word)\"")
            }
        case "op":
            let (word, column) = try argument(for: name)
            var names: [String] = []
            for part in word.split(separator: ",", omittingEmptySubsequences: false) {
                guard let opcode = Opcode(name: String(part)) else {
                    throw FilterSyntaxError(
                        column: column,
                        "~op takes opcode names or numbers 0-15 (text, binary, close...), not \"\(part)\"")
                }
                names.append(opcode.name)
            }
            return .opcode(names)
        case "conn":
            let (word, column) = try argument(for: name)
            guard let id = UInt64(word.hasPrefix("#") ? String(word.dropFirst()) : word) else {
                throw FilterSyntaxError(column: column, "~conn takes a connection number, not \"\(word)\"")
            }
            return .connection(id)
        case "host": return .host(Glob(try argument(for: name).0))
        case "path": return .path(Glob(try argument(for: name).0))
        case "proto": return .subprotocol(Glob(try argument(for: name).0))
        case "b": return .body(try textPattern(for: name))
        case "len":
            let comparison = parseComparison() ?? .equal
            let (word, column) = try argument(for: name)
            guard let value = Self.size(word) else {
                throw FilterSyntaxError(column: column, "~len takes a size such as >1000 or <=64K, not \"\(word)\"")
            }
            return .length(comparison, value)
        case "violation":
            guard let (word, column) = optionalArgument() else { return .violation(nil) }
            guard Violation.Kind.allCases.contains(where: { $0.rawValue == word }) else {
                throw FilterSyntaxError(
                    column: column,
                    "no violation is called \"\(word)\": "
                        + Violation.Kind.allCases.prefix(4).map(\.rawValue).joined(separator: ", ") + "...")
            }
            return .violation(word)
        case "json":
            let (path, comparison) = try pathAndComparison(for: name)
            return .json(path: path, comparison)
        case "field":
            let (path, comparison) = try pathAndComparison(for: name)
            return .field(path: path, comparison)
        case "lens":
            guard let (word, column) = optionalArgument() else { return .lens(nil) }
            let known = LensRegistry.names
            guard word.contains(where: { "*?".contains($0) }) || known.contains(word.lowercased()) else {
                throw FilterSyntaxError(
                    column: column, "no lens is called \"\(word)\": " + known.joined(separator: ", "))
            }
            return .lens(Glob(word))
        case "":
            throw FilterSyntaxError(
                column: start + 1, "~ needs a test name: dir, op, conn, host, path, b, len, json...")
        default:
            throw FilterSyntaxError(
                column: start + 1,
                "no test is called ~\(name): try ~dir, ~op, ~conn, ~host, ~path, ~proto, ~b, ~len, ~fin, ~rsv1, "
                    + "~violation, ~json, ~lens, ~field, ~all")
        }
    }

    /// `PATH`, then `OP VALUE`, `~= /REGEX/`, `~ GLOB` or nothing (the path exists): `~json` and `~field`.
    private mutating func pathAndComparison(
        for test: String
    ) throws(FilterSyntaxError) -> ([JSONPathStep], FilterTest.JSONComparison) {
        let (word, column) = try argument(for: test)
        guard let path = JSONPathStep.parse(word) else {
            throw FilterSyntaxError(column: column, "~\(test) takes a path such as user.role or items[0].id")
        }
        skipSpaces()
        if position < characters.count, characters[position] == "~" {
            let next = position + 1 < characters.count ? characters[position + 1] : " "
            if next == "=" {
                position += 2
                return (path, .matches(try textPattern(for: "\(test) ... ~=")))
            }
            // `~ GLOB`; `~name` is the next test (and the path only has to exist).
            guard next.isWhitespace else { return (path, .exists) }
            position += 1
            return (path, .glob(Glob(try argument(for: "\(test) \(word) ~").0)))
        }
        guard let comparison = parseComparison() else { return (path, .exists) }
        let (value, _) = try argument(for: "\(test) \(word) \(comparison.rawValue)")
        return (path, .compare(comparison, value))
    }

    // MARK: - Arguments

    /// A word or a quoted string after a test; its column.
    private mutating func argument(for test: String) throws(FilterSyntaxError) -> (String, Int) {
        guard let found = try optionalArgumentOrError() else { throw error("~\(test) needs a value here") }
        return found
    }

    private mutating func optionalArgument() -> (String, Int)? {
        try? optionalArgumentOrError()
    }

    private mutating func optionalArgumentOrError() throws(FilterSyntaxError) -> (String, Int)? {
        skipSpaces()
        let column = position + 1
        guard position < characters.count else { return nil }
        if characters[position] == "\"" {
            position += 1
            var text = ""
            while position < characters.count, characters[position] != "\"" {
                if characters[position] == "\\", position + 1 < characters.count {
                    position += 1
                }
                text.append(characters[position])
                position += 1
            }
            guard consume("\"") else { throw FilterSyntaxError(column: column, "this quoted string is never closed") }
            return (text, column)
        }
        var word = ""
        while position < characters.count, !characters[position].isWhitespace, !"()&|".contains(characters[position]) {
            if word.isEmpty, "~!".contains(characters[position]) { break }
            word.append(characters[position])
            position += 1
        }
        return word.isEmpty ? nil : (word, column)
    }

    /// Text or `/regex/` (`/regex/i` ignores case).
    private mutating func textPattern(for test: String) throws(FilterSyntaxError) -> FilterTest.TextPattern {
        skipSpaces()
        let column = position + 1
        guard consume("/") else { return .contains(try argument(for: test).0) }
        var pattern = ""
        while position < characters.count, characters[position] != "/" {
            if characters[position] == "\\", position + 1 < characters.count, characters[position + 1] == "/" {
                position += 1
            } else if characters[position] == "\\", position + 1 < characters.count {
                pattern.append("\\")
                position += 1
            }
            pattern.append(characters[position])
            position += 1
        }
        guard consume("/") else { throw FilterSyntaxError(column: column, "this /regular expression/ is never closed") }
        let ignoresCase = consume("i")
        do {
            return .regex(try FilterRegex(pattern, ignoresCase: ignoresCase))
        } catch {
            throw FilterSyntaxError(column: column, "not a regular expression: \(error)")
        }
    }

    private mutating func parseComparison() -> FilterTest.Comparison? {
        skipSpaces()
        for operation in ["==", "<=", ">=", "!=", "<", ">", "="] where matchesAhead(operation) {
            position += operation.count
            return FilterTest.Comparison(rawValue: operation == "==" ? "=" : operation)
        }
        return nil
    }

    /// `1000`, `64K`, `1M`.
    static func size(_ word: String) -> UInt64? {
        let units: [Character: UInt64] = [
            "k": 1 << 10, "K": 1 << 10, "m": 1 << 20, "M": 1 << 20, "g": 1 << 30, "G": 1 << 30,
        ]
        if let last = word.last, let unit = units[last], let number = UInt64(word.dropLast()) {
            return number.multipliedReportingOverflow(by: unit).overflow ? nil : number * unit
        }
        return UInt64(word)
    }

    // MARK: - Characters

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private mutating func consume(_ character: Character) -> Bool {
        skipSpacesIfNeeded(before: character)
        guard position < characters.count, characters[position] == character else { return false }
        position += 1
        return true
    }

    /// Operators may have spaces before them; a regex's closing slash or a flag may not.
    private mutating func skipSpacesIfNeeded(before character: Character) {
        if "|&()!~".contains(character) { skipSpaces() }
    }

    private func matchesAhead(_ text: String) -> Bool {
        let wanted = Array(text)
        guard position + wanted.count <= characters.count else { return false }
        return Array(characters[position..<position + wanted.count]) == wanted
    }

    private func error(_ reason: String) -> FilterSyntaxError {
        FilterSyntaxError(column: position + 1, reason)
    }
}
