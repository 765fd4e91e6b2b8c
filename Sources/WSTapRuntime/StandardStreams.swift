import WSTapSession

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes to standard output and standard error with `write(2)`, as a Unix filter does.
///
/// When standard output's reader has gone (`wstap proxy --jsonl | head -3`), the process ends the way a filter
/// ends on SIGPIPE, quietly, instead of trapping in Foundation's `FileHandle.write` (SIGPIPE is ignored in the
/// process, so the write fails with EPIPE). A failed write to standard error is dropped: there is nowhere left
/// to say so.
public enum StandardStreams {
    /// Writes all of `bytes` to standard output.
    public static func output(_ bytes: UnsafeRawBufferPointer) {
        guard writeAll(bytes, to: STDOUT_FILENO) else { endAsOnBrokenPipe() }
    }

    /// Writes all of `bytes` to standard output.
    public static func output(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { output($0) }
    }

    /// Writes a string's UTF-8 to standard output.
    public static func output(_ text: String) {
        output(Array(text.utf8))
    }

    /// Writes a string's UTF-8 to standard error, dropping it if that fails.
    public static func error(_ text: String) {
        Array(text.utf8).withUnsafeBytes { _ = writeAll($0, to: STDERR_FILENO) }
    }

    /// Writes until done; false when the reader has gone (EPIPE). Other errors drop the rest of the bytes.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        DescriptorWriter.writeAll(bytes, to: descriptor) != EPIPE
    }

    /// Ends the process by SIGPIPE with its default action, as `cat` or `grep` end when their reader goes.
    private static func endAsOnBrokenPipe() -> Never {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
        exit(141)  // not reached: the signal ends the process; 128 + SIGPIPE as shells report it
    }
}
