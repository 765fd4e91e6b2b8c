public import Foundation

/// What a program a test ran left behind: its exit status, its standard output and its standard error.
public struct ProgramResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String

    /// Standard output as text.
    public var text: String { String(decoding: stdout, as: UTF8.self) }
}
