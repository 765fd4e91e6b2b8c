import Foundation
import NIOCore

/// A file written from the start (truncated), with errors that name it.
final class OutputFile {
    private let path: String
    private let handle: FileHandle

    init(_ path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw CommandFailure("cannot create '\(path)'")
        }
        self.handle = handle
    }

    func write(_ bytes: ByteBuffer) throws {
        do {
            try handle.write(contentsOf: Data(bytes.readableBytesView))
        } catch {
            throw CommandFailure("cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    func close() throws {
        do {
            try handle.close()
        } catch {
            throw CommandFailure("cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}
