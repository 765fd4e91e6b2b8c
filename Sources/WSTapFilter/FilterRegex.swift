/// A regular expression in a filter (`/.../`, `/.../i` to ignore case); it never changes once made, so it may
/// cross threads.
public struct FilterRegex: @unchecked Sendable, Equatable {
    /// The expression as written between the slashes.
    public let pattern: String
    /// Whether case is ignored.
    public let ignoresCase: Bool
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`; throws the compiler's error when it is not a regular expression.
    public init(_ pattern: String, ignoresCase: Bool) throws {
        self.pattern = pattern
        self.ignoresCase = ignoresCase
        let compiled = try Regex(pattern)
        regex = ignoresCase ? compiled.ignoresCase() : compiled
    }

    /// Two expressions are the same when written the same, with the same flag.
    public static func == (left: FilterRegex, right: FilterRegex) -> Bool {
        left.pattern == right.pattern && left.ignoresCase == right.ignoresCase
    }

    /// Whether it matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
