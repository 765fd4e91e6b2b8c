/// The numbers of an `HTTP/major.minor` version string, for comparing versions.
struct HTTPVersionNumber: Comparable, Sendable {
    var major: Int
    var minor: Int

    /// Reads `HTTP/1.1`; `nil` for anything else.
    init?(_ version: String) {
        guard version.hasPrefix("HTTP/") else { return nil }
        let numbers = version.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false)
        let isNumber = { (text: Substring) in
            !text.isEmpty && text.count <= 3 && text.allSatisfy { $0.isASCII && $0.isNumber }
        }
        guard numbers.count == 2, numbers.allSatisfy(isNumber), let major = Int(numbers[0]), let minor = Int(numbers[1])
        else { return nil }
        self.major = major
        self.minor = minor
    }

    init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    static func < (lhs: HTTPVersionNumber, rhs: HTTPVersionNumber) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
