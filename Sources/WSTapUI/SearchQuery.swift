import NIOCore
public import WSTapCore

/// What `/` looks for in payloads: plain text, or a regular expression when the typed text starts with
/// `re:`. Both ignore case (plain text folds ASCII letters; a regular expression folds all letters).
/// The glue uses it too, to search a recording the way the list is searched.
public struct SearchQuery {
    /// Plain text, or a compiled regular expression.
    public enum Kind {
        /// Lower-cased bytes.
        case text([UInt8])
        case regex(Regex<AnyRegexOutput>)
    }

    /// The prefix that makes the rest a regular expression.
    static let regexPrefix = "re:"

    /// What to look for.
    public let kind: Kind
    /// The text as the user typed it.
    public let typed: String

    /// Reads the typed text; the reason when it is a regular expression that does not compile.
    public static func parse(_ typed: String) -> Result<SearchQuery, SearchError> {
        guard typed.hasPrefix(regexPrefix) else {
            return .success(SearchQuery(kind: .text(Array(typed.lowercased().utf8)), typed: typed))
        }
        let pattern = String(typed.dropFirst(regexPrefix.count))
        guard !pattern.isEmpty else { return .failure(SearchError("re: needs a pattern after it")) }
        do {
            let regex = try Regex(pattern).ignoresCase()
            return .success(SearchQuery(kind: .regex(regex), typed: typed))
        } catch {
            return .failure(SearchError("bad regular expression \"\(pattern)\": \(error)"))
        }
    }

    /// Whether the query is a regular expression (typed with `re:`).
    public var isRegex: Bool {
        if case .regex = kind { return true }
        return false
    }

    /// The byte offset of the first match in `bytes`, if there is one. A regular expression sees the bytes
    /// as UTF-8 text (bytes that are not UTF-8 read as U+FFFD).
    public func firstMatch(in bytes: UnsafeRawBufferPointer) -> Int? {
        switch kind {
        case .text(let needle):
            return FrameStore.firstFoldedMatch(of: needle, in: bytes)
        case .regex(let regex):
            let text = String(decoding: bytes, as: UTF8.self)
            // A pattern that fails while matching (it cannot, once compiled) counts as no match.
            guard let match = try? regex.firstMatch(in: text) else { return nil }
            return text.utf8.distance(from: text.startIndex, to: match.range.lowerBound)
        }
    }

    /// The byte offset of the first match in the payload the list shows for a frame (the inflated payload
    /// of a compressed message), if there is one.
    public func firstMatch(in frame: TrafficEvent.FrameSeen) -> Int? {
        frame.readablePayload.withUnsafeReadableBytes { firstMatch(in: $0) }
    }

    /// Where a frame matches: at a byte of its payload, or (`nil` offset) in the words its row shows that
    /// are not payload bytes (a close frame's code and the code's name).
    public func match(in frame: TrafficEvent.FrameSeen) -> Int?? {
        if let offset = firstMatch(in: frame) { return .some(offset) }
        return matchesRowWords(FrameRow(frame)) ? .some(nil) : nil
    }

    /// Whether the words a row shows besides its payload (``FrameRow/rowWords``) match.
    func matchesRowWords(_ row: FrameRow) -> Bool {
        guard let words = row.rowWords else { return false }
        var text = words
        return text.withUTF8 { firstMatch(in: UnsafeRawBufferPointer($0)) } != nil
    }
}

/// Why the typed search cannot be used (a regular expression that does not compile).
public struct SearchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why the search cannot be used, such as a regular expression's compile error.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
