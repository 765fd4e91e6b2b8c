public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a child's output with `read(2)`, retrying reads a signal interrupts (EINTR). Foundation's
/// `FileHandle.readDataToEndOfFile` traps on EINTR, which once crashed a whole test run.
public enum DescriptorReader {
    /// A read that failed for another reason than an interruption.
    public struct Failure: Error, CustomStringConvertible {
        /// Which descriptor, and the system's reason.
        public var description: String
    }

    /// Everything until the end of the file (for a pipe: until every writer has closed it).
    public static func readToEnd(_ handle: FileHandle) throws(Failure) -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try readSome(handle.fileDescriptor, into: &chunk)
            if count == 0 { return data }
            data.append(contentsOf: chunk[..<count])
        }
    }

    /// The bytes before the next newline, or before the end of the file. Reads one byte at a time, so
    /// that nothing after the newline is taken from the pipe.
    public static func readLine(_ handle: FileHandle) throws(Failure) -> [UInt8] {
        var line: [UInt8] = []
        var byte: [UInt8] = [0]
        while try readSome(handle.fileDescriptor, into: &byte) == 1, byte[0] != UInt8(ascii: "\n") {
            line.append(byte[0])
        }
        return line
    }

    /// One `read(2)` into `buffer`, repeated while interrupted; 0 at the end of the file.
    private static func readSome(_ descriptor: Int32, into buffer: inout [UInt8]) throws(Failure) -> Int {
        while true {
            var failure: Int32 = 0
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                let result = read(descriptor, raw.baseAddress, raw.count)
                if result < 0 { failure = errno }
                return result
            }
            if count >= 0 { return count }
            if failure != EINTR {
                throw Failure(
                    description: "cannot read descriptor \(descriptor): \(String(cString: strerror(failure)))")
            }
        }
    }
}
