public import WSTapFilter

/// A find-and-replace rule on the text of messages, written as on the command line (`--rewrite`):
/// `/FIND/REPLACE/` or `/FILTER/FIND/REPLACE/`, where the first character is the separator (any character that
/// appears in no part), FILTER a filter expression (docs/filters.md) that says which messages the rule takes,
/// FIND a regular expression and REPLACE the text put in place of each match, with `\0` to `\9` for the match
/// and its groups and `\\` for a backslash. The last separator is optional.
public struct RewriteRule: Sendable, CustomStringConvertible {
    /// Why a rule's text does not make a rule: one sentence naming the part at fault.
    public struct SyntaxError: Error, CustomStringConvertible, Sendable {
        /// What is wrong, and how to write it.
        public let description: String
    }

    /// A piece of the replacement: literal text or a group of the match.
    enum Piece: Sendable {
        case text(String)
        case group(Int)
    }

    /// The rule as it was written.
    public let text: String
    /// The expression's source.
    public let pattern: String
    /// Which messages it takes (all when nil).
    public let filter: FilterExpression?
    private let pieces: [Piece]
    private let expression: SendableRegex

    /// Reads a rule such as `/"role":"user"/"role":"admin"/` or `|a(b)c|x\1y|`.
    public init(parsing text: String) throws(SyntaxError) {
        guard let separator = text.first else {
            throw SyntaxError(description: "a rewrite rule is /FIND/REPLACE/: it is empty")
        }
        if separator.isLetter || separator.isNumber || separator == "\\" || separator.isWhitespace {
            throw SyntaxError(
                description:
                    "a rewrite rule starts with its separator, as in /FIND/REPLACE/, not with \"\(separator)\"")
        }
        var parts = text.dropFirst().split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 3, parts.last?.isEmpty == true { parts.removeLast() }
        guard parts.count == 2 || parts.count == 3 else {
            let found = parts.count == 1 ? "one part" : "\(parts.count) parts"
            throw SyntaxError(
                description:
                    "a rewrite rule is \(separator)FIND\(separator)REPLACE\(separator) or "
                    + "\(separator)FILTER\(separator)FIND\(separator)REPLACE\(separator), not \(found): "
                    + "choose a separator that appears in no part")
        }
        if parts.count == 3 {
            do {
                filter = try FilterExpression(parsing: parts.removeFirst())
            } catch {
                throw SyntaxError(description: "the FILTER part of rewrite rule \(text): \(error)")
            }
        } else {
            filter = nil
        }
        guard !parts[0].isEmpty else {
            throw SyntaxError(description: "the FIND part of rewrite rule \(text) is empty")
        }
        self.text = text
        self.pattern = parts[0]
        do {
            expression = SendableRegex(try Regex(parts[0]))
        } catch {
            throw SyntaxError(description: "FIND in rewrite rule \(text) is not a regular expression: \(error)")
        }
        pieces = try Self.template(parts[1], rule: text)
    }

    /// The rule as written.
    public var description: String { text }

    /// `text` with every match replaced; nil when nothing matched.
    public func apply(to text: String) -> String? {
        var result = ""
        var rest = text[...]
        var matched = false
        var searchFrom = text.startIndex
        while searchFrom <= text.endIndex, let match = try? expression.regex.firstMatch(in: text[searchFrom...]) {
            matched = true
            result += text[rest.startIndex..<match.range.lowerBound]
            for piece in pieces {
                switch piece {
                case .text(let literal): result += literal
                case .group(let index):
                    if index < match.output.count, let substring = match.output[index].substring {
                        result += substring
                    }
                }
            }
            rest = text[match.range.upperBound...]
            if match.range.isEmpty {
                // An empty match: keep the next character and go on after it.
                guard match.range.upperBound < text.endIndex else {
                    searchFrom = text.endIndex
                    break
                }
                let next = text.index(after: match.range.upperBound)
                result += text[match.range.upperBound..<next]
                rest = text[next...]
                searchFrom = next
            } else {
                searchFrom = match.range.upperBound
            }
        }
        guard matched else { return nil }
        result += rest
        return result
    }

    private static func template(_ replacement: String, rule: String) throws(SyntaxError) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var escaping = false
        for character in replacement {
            if escaping {
                escaping = false
                if let digit = character.wholeNumberValue, character.isASCII {
                    if !literal.isEmpty { pieces.append(.text(literal)) }
                    literal = ""
                    pieces.append(.group(digit))
                } else if character == "\\" {
                    literal.append("\\")
                } else if character == "n" {
                    literal.append("\n")
                } else if character == "t" {
                    literal.append("\t")
                } else {
                    throw SyntaxError(
                        description:
                            "REPLACE in rewrite rule \(rule) has \\\(character): write \\0-\\9 for a group, \\\\ for a "
                            + "backslash, \\n or \\t")
                }
            } else if character == "\\" {
                escaping = true
            } else {
                literal.append(character)
            }
        }
        if escaping {
            throw SyntaxError(description: "REPLACE in rewrite rule \(rule) ends with a lone backslash")
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return pieces
    }
}

/// A compiled expression that may cross threads: it is never changed after it is made.
private struct SendableRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    init(_ regex: Regex<AnyRegexOutput>) {
        self.regex = regex
    }
}
