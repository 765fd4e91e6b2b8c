import WSTapCore

/// A filter written back as text: one canonical spelling that reads back (``FilterExpression/init(parsing:)``)
/// as the same tree. Parentheses only where the tree needs them; `&` written out; arguments quoted when they
/// would not read back as one word.
extension FilterExpression: CustomStringConvertible {
    /// The expression as filter text: `~dir c2s & (~b hello | !~op text)`.
    public var description: String {
        switch self {
        case .test(let test): return test.description
        case .not(let inner): return "!" + inner.wrapped(unless: .not)
        case .and(let left, let right): return left.wrapped(unless: .and) + " & " + right.wrapped(unless: .not)
        case .or(let left, let right): return left.wrapped(unless: .or) + " | " + right.wrapped(unless: .and)
        }
    }

    /// How tightly an expression binds: `|` loosest, then `&`, then `!` and single tests.
    private enum Level: Int {
        case or, and, not
    }

    private var level: Level {
        switch self {
        case .or: return .or
        case .and: return .and
        case .not, .test: return .not
        }
    }

    /// The expression, in parentheses unless it binds at least as tightly as `minimum`.
    private func wrapped(unless minimum: Level) -> String {
        level.rawValue >= minimum.rawValue ? description : "(" + description + ")"
    }
}

extension FilterTest: CustomStringConvertible {
    /// The test as filter text: `~json user.role ~= /^adm/i`.
    public var description: String {
        switch self {
        case .all: return "~all"
        case .fin: return "~fin"
        case .reservedBit(let bit):
            return bit == .rsv1 ? "~rsv1" : bit == .rsv2 ? "~rsv2" : "~rsv3"
        case .direction(let direction): return "~dir " + direction.rawValue
        case .opcode(let names): return "~op " + Self.word(names.joined(separator: ","))
        case .connection(let id): return "~conn \(id)"
        case .host(let glob): return "~host " + Self.word(glob.pattern)
        case .path(let glob): return "~path " + Self.word(glob.pattern)
        case .subprotocol(let glob): return "~proto " + Self.word(glob.pattern)
        case .body(let pattern): return "~b " + Self.text(pattern)
        case .length(let comparison, let value): return "~len \(comparison.rawValue)\(value)"
        case .violation(let kind): return kind.map { "~violation " + Self.word($0) } ?? "~violation"
        case .json(let path, let comparison): return "~json " + Self.path(path, comparison)
        case .field(let path, let comparison): return "~field " + Self.path(path, comparison)
        case .lens(let glob): return glob.map { "~lens " + Self.word($0.pattern) } ?? "~lens"
        }
    }

    private static func path(_ steps: [JSONPathStep], _ comparison: JSONComparison) -> String {
        var text = ""
        for step in steps {
            switch step {
            case .member(let name): text += (text.isEmpty ? "" : ".") + name
            case .element(let index): text += "[\(index)]"
            }
        }
        text = word(text)
        switch comparison {
        case .exists: return text
        case .compare(let operation, let value): return text + " \(operation.rawValue) " + word(value)
        case .matches(let pattern): return text + " ~= " + Self.text(pattern)
        case .glob(let glob): return text + " ~ " + word(glob.pattern)
        }
    }

    /// Plain text as a word (quoted when it has to be: a `/` first would read as a regular expression), or
    /// `/REGEX/` with its flag.
    private static func text(_ pattern: TextPattern) -> String {
        switch pattern {
        case .contains(let text): return text.hasPrefix("/") ? quoted(text) : word(text)
        case .regex(let regex):
            var text = "/"
            for character in regex.pattern {
                if character == "/" { text += "\\" }
                text.append(character)
            }
            return text + "/" + (regex.ignoresCase ? "i" : "")
        }
    }

    /// The argument as it is when it reads back as one word, else quoted.
    private static func word(_ text: String) -> String {
        let plain =
            !text.isEmpty && !text.hasPrefix("\"") && !"~!".contains(text.first ?? " ")
            && !text.contains { $0.isWhitespace || "()&|".contains($0) }
        return plain ? text : quoted(text)
    }

    /// `"..."` with `\"` and `\\`.
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\"" || character == "\\" { out += "\\" }
            out.append(character)
        }
        return out + "\""
    }
}
