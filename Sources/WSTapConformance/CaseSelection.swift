import WSTapFilter

/// Which cases a run takes: `--cases 1.*,5.2.*` and `--exclude 9.*`.
///
/// A pattern is a case id in which `*` stands for any run of characters (`1.*` is every case of category 1,
/// `6.*.split*` every split case of category 6); a pattern without `*` names one case, or a group whose ids
/// start with it and a dot (`5.2` is `5.2` and `5.2.*`).
public struct CaseSelection: Sendable {
    /// A pattern that cannot select anything.
    public struct PatternError: Error, CustomStringConvertible, Sendable {
        /// What is wrong with the pattern, in one line.
        public var description: String
    }

    private var included: [String]
    private var excluded: [String]

    /// A selection from comma-separated lists of patterns; empty `cases` takes every case.
    public init(cases: [String] = [], exclude: [String] = []) throws(PatternError) {
        included = try Self.patterns(cases, option: "--cases")
        excluded = try Self.patterns(exclude, option: "--exclude")
    }

    /// Whether the selection takes the case with this id.
    public func contains(_ id: String) -> Bool {
        (included.isEmpty || included.contains { Self.matches(id, $0) }) && !excluded.contains { Self.matches(id, $0) }
    }

    /// The cases the selection takes, in their order; an error when a `--cases` pattern takes none (a typo).
    public func select(from cases: [ConformanceCase]) throws(PatternError) -> [ConformanceCase] {
        for pattern in included where !cases.contains(where: { Self.matches($0.id, pattern) }) {
            throw PatternError(description: "--cases: no case matches '\(pattern)' (ids look like 1.1.1, 5.*, 7.7.*)")
        }
        return cases.filter { contains($0.id) }
    }

    private static func patterns(_ lists: [String], option: String) throws(PatternError) -> [String] {
        var patterns: [String] = []
        for list in lists {
            for part in list.split(separator: ",", omittingEmptySubsequences: false) {
                let pattern = part.trimmingSpaces()
                guard !pattern.isEmpty else {
                    throw PatternError(description: "\(option): an empty pattern in '\(list)'")
                }
                guard pattern.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "*" }) else {
                    throw PatternError(
                        description: "\(option): '\(pattern)' is not a case pattern (digits, letters, dots and *)")
                }
                patterns.append(pattern)
            }
        }
        return patterns
    }

    /// Whether `id` matches `pattern` (`*` any run of characters; no `*`: the id or a group it opens).
    static func matches(_ id: String, _ pattern: String) -> Bool {
        guard pattern.contains("*") else { return id == pattern || id.hasPrefix(pattern + ".") }
        return Glob(pattern).matches(id)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
