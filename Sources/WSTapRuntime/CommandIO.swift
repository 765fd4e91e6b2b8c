import Foundation
public import WSTapInspect

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files, standard streams and error reporting shared by the commands.
public enum CommandIO {
    /// The bytes of a file, or a clear error naming it.
    public static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CommandFailure("cannot read '\(path)': \(reason(error))")
        }
    }

    /// All of standard input, read with `read(2)` in large chunks. A read interrupted by a signal (EINTR)
    /// is retried (Foundation's `readDataToEndOfFile` traps on it); any other failure (standard input a
    /// directory, say) is a one-line error.
    public static func readStandardInput() throws -> [UInt8] {
        var input: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            var failure: Int32 = 0
            let count = chunk.withUnsafeMutableBytes { buffer -> Int in
                let result = read(STDIN_FILENO, buffer.baseAddress, buffer.count)
                if result < 0 { failure = errno }
                return result
            }
            if count == 0 { return input }
            if count > 0 {
                input.append(contentsOf: chunk[..<count])
            } else if failure != EINTR {
                throw CommandFailure("cannot read standard input: \(String(cString: strerror(failure)))")
            }
        }
    }

    /// Writes bytes to standard output as they are.
    public static func writeRaw(_ bytes: [UInt8]) {
        StandardStreams.output(bytes)
    }

    /// Runs `body`, turning an input error into a one-line failure with a non-zero exit.
    public static func orFail<T>(_ body: () throws(InputError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(error.description)
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}
