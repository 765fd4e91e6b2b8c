/// A request target split into path and query, for the two handshake variants.
struct RequestTarget: Hashable, Sendable {
    /// The path, always starting with `/`.
    var path: String
    /// The text after `?`, or `nil` when the target has no `?`.
    var query: String?

    /// Splits an origin-form target (`/chat?room=1`) or an absolute-form one (`ws://host/chat?room=1`);
    /// `nil` for other forms (`*`, `host:port`) or a target with whitespace or control characters.
    init?(_ target: String) {
        guard !target.isEmpty, target.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return nil }
        var rest = Substring(target)
        if !rest.hasPrefix("/") {
            guard let schemeEnd = rest.firstRange(of: "://"), schemeEnd.lowerBound > rest.startIndex,
                rest[..<schemeEnd.lowerBound].allSatisfy({
                    $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0))
                })
            else { return nil }
            let afterAuthority = rest[schemeEnd.upperBound...]
            rest = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterAuthority[$0...] } ?? ""
        }
        if let questionMark = rest.firstIndex(of: "?") {
            path = String(rest[..<questionMark])
            query = String(rest[rest.index(after: questionMark)...])
        } else {
            path = String(rest)
            query = nil
        }
        if !path.hasPrefix("/") {
            path = "/" + path
        }
    }

    /// The target in origin form: the path, then `?` and the query when there is one.
    var originForm: String {
        query.map { "\(path)?\($0)" } ?? path
    }
}
