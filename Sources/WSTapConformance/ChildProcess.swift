#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts child processes with `posix_spawn`: standard input from a descriptor or `/dev/null`, standard output
/// and error into files, no blocked signals and default signal handling (so that SIGINT and SIGTERM reach the
/// child whatever the parent blocks or ignores), and on request in a process group of its own (so that the
/// whole group can be signalled: a shell and what it started).
public enum ChildProcess {
    /// A child that could not be started.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, in one line.
        public var description: String
    }

    /// Starts `path` with `arguments`; returns its process id. `stdin` is a descriptor the child reads (closed in
    /// the child after it was duplicated), `/dev/null` when nil; `parentEnd` a descriptor the child must not
    /// keep (the parent's end of a pipe). Standard output goes to the file `stdout` and standard error to
    /// `stderr`, or to the same file when `stderr` is nil (both truncated first).
    public static func spawn(
        _ path: String, _ arguments: [String], stdin: Int32? = nil, closing parentEnd: Int32? = nil,
        stdout: String, stderr: String?, ownProcessGroup: Bool = false
    ) throws(Failure) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
            posix_spawn_file_actions_addclose(&actions, stdin)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let parentEnd { posix_spawn_file_actions_addclose(&actions, parentEnd) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw Failure(description: "cannot start \(path): \(String(cString: strerror(status)))")
        }
        return child
    }
}
