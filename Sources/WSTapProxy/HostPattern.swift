/// A host name pattern for `--pass-through`: `*` matches any run of characters (dots included), `?` any one
/// character, everything else itself, ignoring case. `*.example.com` matches `a.example.com` and
/// `a.b.example.com` but not `example.com`. A pattern with a `:port` matches that port only.
public struct HostPattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as given.
    public let description: String
    private let pattern: [UInt8]

    /// A pattern such as `*.example.com`, `10.0.0.?` or `example.com:8443`.
    public init(_ pattern: String) {
        self.description = pattern
        self.pattern = Array(pattern.lowercased().utf8)
    }

    /// Whether `host` (with `port`) matches: the pattern is tried against the host, and against `host:port`.
    public func matches(host: String, port: Int) -> Bool {
        let name = Array(host.lowercased().utf8)
        if Self.glob(pattern[...], name[...]) { return true }
        let shownHost = host.contains(":") ? "[\(host.lowercased())]" : host.lowercased()
        return Self.glob(pattern[...], Array("\(shownHost):\(port)".utf8)[...])
    }

    /// Iterative wildcard matching with one backtracking point (linear in practice, never exponential).
    private static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        var starAt: Int?
        var textAtStar = text.startIndex
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") {
                starAt = p
                textAtStar = t
                p += 1
            } else if p < pattern.endIndex, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let star = starAt {
                p = star + 1
                textAtStar += 1
                t = textAtStar
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }
}
