public import Foundation

/// What a program a test ran left behind: its exit status, its standard output and its standard error.
public struct ProgramResult: Sendable {
    /// Its exit status (or the signal that ended it).
    public var status: Int32
    /// Everything it wrote to standard output.
    public var stdout: Data
    /// Everything it wrote to standard error.
    public var stderr: String

    /// Standard output as text.
    public var text: String { String(decoding: stdout, as: UTF8.self) }
}
