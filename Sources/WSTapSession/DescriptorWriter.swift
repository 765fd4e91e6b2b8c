#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes bytes to a file descriptor with `write(2)` until every one is written: how the recorder writes
/// its files and the command line its standard streams.
public enum DescriptorWriter {
    /// Writes all of `bytes` to `descriptor`, retrying after interruptions and short writes; returns nil once
    /// every byte is written, or the `errno` of the write that failed (the rest of the bytes are not written).
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            #if canImport(Glibc)
                let result = Glibc.write(descriptor, base + done, bytes.count - done)
            #else
                let result = Darwin.write(descriptor, base + done, bytes.count - done)
            #endif
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += result
        }
        return nil
    }
}
