import ArgumentParser
import Foundation
import WSTapInspect

/// Files, standard streams and error reporting shared by the commands.
enum CommandIO {
    /// The bytes of a file, or a clear error naming it.
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CommandFailure("cannot read '\(path)': \(reason(error))")
        }
    }

    /// All of standard input.
    static func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    /// Writes bytes to standard output as they are.
    static func writeRaw(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Runs `body`, turning an input error into a one-line failure with a non-zero exit.
    static func orFail<T>(_ body: () throws(InputError) -> T) throws -> T {
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

/// A failure reported as one line (`Error: ...`) with a non-zero exit status and no usage text.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
