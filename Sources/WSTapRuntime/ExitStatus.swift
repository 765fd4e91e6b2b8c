#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a run asks the process to end with a status other than 0 (thrown: the command line turns it into the
/// process's exit status, without a message).
public struct ExitStatus: Error, Equatable, Sendable {
    /// The exit status.
    public var code: Int32

    /// Ends with `code`.
    public init(_ code: Int32) {
        self.code = code
    }

    /// Ended by a signal: 128 + the signal number, as shells report it.
    public static func signalled(_ signal: Int32) -> ExitStatus {
        ExitStatus(128 + signal)
    }

    /// Ended by Ctrl-C: 130.
    public static var interrupted: ExitStatus { signalled(SIGINT) }

    /// A check failed (`replay --check` found differences, the mock server saw problems).
    public static let failure = ExitStatus(1)
}
