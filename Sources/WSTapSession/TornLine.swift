import WSTapCore

/// The last line of a recording when it has no line end: what a writer killed mid-line leaves. The
/// reader skips it and reports it.
public struct TornLine: Hashable, Sendable, CustomStringConvertible {
    /// Its line number (the header is line 1).
    public var lineNumber: Int
    /// How many bytes it has.
    public var byteCount: Int

    /// A torn line: its number and length.
    public init(lineNumber: Int, byteCount: Int) {
        self.lineNumber = lineNumber
        self.byteCount = byteCount
    }

    /// Which line was skipped, and why.
    public var description: String {
        "line \(lineNumber) is incomplete (\(CountWords.of(byteCount, "byte")), no line end; the writer stopped mid-line): skipped"
    }
}
