/// Why bytes could not be read as an HTTP/1.1 request or response head.
///
/// Match on `code`; `line`, `found` and `reason` say where, what and why, and `description` puts them into
/// one sentence for a person.
public struct HTTPHeadError: Error, Hashable, Sendable {
    /// The kind of problem, comparable with `==` against the static members.
    public struct Code: Hashable, Sendable {
        private enum Base: Hashable, Sendable {
            case incomplete
            case headTooLarge
            case emptyHead
            case badRequestLine
            case badStatusLine
            case badVersion
            case headerWithoutColon
            case obsoleteLineFolding
            case invalidHeaderName
            case whitespaceBeforeColon
            case controlCharacter
            case nonASCII
            case invalidUTF8
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The bytes end before the blank line that closes a head.
        public static let incomplete = Code(.incomplete)
        /// No blank line within the size limit.
        public static let headTooLarge = Code(.headTooLarge)
        /// The head is only a blank line.
        public static let emptyHead = Code(.emptyHead)
        /// The first line of a request is not `METHOD target HTTP/x.y`.
        public static let badRequestLine = Code(.badRequestLine)
        /// The first line of a response is not `HTTP/x.y code reason`.
        public static let badStatusLine = Code(.badStatusLine)
        /// The protocol version is not `HTTP/` followed by `major.minor` digits.
        public static let badVersion = Code(.badVersion)
        /// A header line has no `:`.
        public static let headerWithoutColon = Code(.headerWithoutColon)
        /// A header line starts with a space or tab: the obsolete line folding RFC 7230 forbids.
        public static let obsoleteLineFolding = Code(.obsoleteLineFolding)
        /// A header name is empty or has a character that is not allowed in a token.
        public static let invalidHeaderName = Code(.invalidHeaderName)
        /// Whitespace between a header name and its colon, which RFC 7230 section 3.2.4 forbids.
        public static let whitespaceBeforeColon = Code(.whitespaceBeforeColon)
        /// An ASCII control character (other than tab) inside a line.
        public static let controlCharacter = Code(.controlCharacter)
        /// A byte above 0x7F where only ASCII is allowed (request line, status code, header names).
        public static let nonASCII = Code(.nonASCII)
        /// Bytes above 0x7F in a header value or reason phrase that are not UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)

        /// A short name of the problem, such as `header without colon`.
        public var summary: String {
            switch base {
            case .incomplete: return "incomplete head"
            case .headTooLarge: return "head too large"
            case .emptyHead: return "empty head"
            case .badRequestLine: return "bad request line"
            case .badStatusLine: return "bad status line"
            case .badVersion: return "bad HTTP version"
            case .headerWithoutColon: return "header without colon"
            case .obsoleteLineFolding: return "obsolete line folding"
            case .invalidHeaderName: return "invalid header name"
            case .whitespaceBeforeColon: return "whitespace before colon"
            case .controlCharacter: return "control character"
            case .nonASCII: return "non-ASCII byte"
            case .invalidUTF8: return "invalid UTF-8"
            }
        }
    }

    /// The kind of problem.
    public let code: Code
    /// The 1-based line of the head where the problem is, or `nil` when it concerns the head as a whole.
    public let line: Int?
    /// What was found there, with non-printable bytes shown as `\xNN` and long text cut.
    public let found: String
    /// Why that is wrong.
    public let reason: String

    /// Creates an error.
    init(_ code: Code, line: Int?, found: String, reason: String) {
        self.code = code
        self.line = line
        self.found = found
        self.reason = reason
    }
}

extension HTTPHeadError: CustomStringConvertible {
    /// One sentence: the problem, the line, what was found and why it is wrong.
    public var description: String {
        let place = line.map { " at line \($0)" } ?? ""
        return "\(code.summary)\(place): found \(found); \(reason)."
    }
}
