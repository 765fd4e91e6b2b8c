/// A shell-style pattern: `*` any run of characters, `?` one character, everything else itself (case ignored).
public struct Glob: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let characters: [Character]

    /// A glob for `pattern`.
    public init(_ pattern: String) {
        self.pattern = pattern
        characters = Array(pattern.lowercased())
    }

    /// The pattern.
    public var description: String { pattern }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        let text = Array(text.lowercased())
        var textIndex = 0
        var patternIndex = 0
        var starAt = -1
        var starText = 0
        while textIndex < text.count {
            if patternIndex < characters.count,
                characters[patternIndex] == "?" || characters[patternIndex] == text[textIndex]
            {
                textIndex += 1
                patternIndex += 1
            } else if patternIndex < characters.count, characters[patternIndex] == "*" {
                starAt = patternIndex
                starText = textIndex
                patternIndex += 1
            } else if starAt >= 0 {
                patternIndex = starAt + 1
                starText += 1
                textIndex = starText
            } else {
                return false
            }
        }
        while patternIndex < characters.count, characters[patternIndex] == "*" { patternIndex += 1 }
        return patternIndex == characters.count
    }
}
