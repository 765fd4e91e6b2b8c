public import Foundation
import NIOCore
import NIOPosix
public import WSTapCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension WebSocketConnection {
    /// Sends a file's contents as one message (the original library's `ws-send!` with an input port): read
    /// and sent as fragments of at most ``streamBufferSize`` bytes, so the file is never held whole. `.text`
    /// unless told, as the original; pass `.binary` for anything that is not UTF-8 text.
    ///
    /// - Throws: ``FileReadError`` when the file cannot be opened or read (a failure after the first
    ///   fragment went out is handled as for any stream, see ``send(stream:opcode:)``); the errors of
    ///   ``send(_:opcode:finalFragment:flush:)``.
    public func send(contentsOfFile path: String, opcode: Opcode = .text) async throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw FileReadError("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try await send(
            stream: FileChunks(handle: handle, chunkSize: streamBufferSize, name: "'\(path)'"), opcode: opcode)
    }

    /// Sends what a file handle yields until its end (a file, a pipe, standard input) as one message, as
    /// fragments of at most ``streamBufferSize`` bytes; `.text` unless told. The handle is read on
    /// SwiftNIO's thread pool, not on the caller's task, and is left open.
    ///
    /// - Throws: ``FileReadError`` when reading fails; the errors of ``send(_:opcode:finalFragment:flush:)``.
    public func send(fileHandle: FileHandle, opcode: Opcode = .text) async throws {
        try await send(
            stream: FileChunks(handle: fileHandle, chunkSize: streamBufferSize, name: "the file handle"), opcode: opcode
        )
    }
}

/// A file or file handle could not be read for sending.
public struct FileReadError: Error, Sendable, CustomStringConvertible {
    /// What could not be read, and why.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A file handle's bytes as an async sequence of chunks of at most `chunkSize` bytes, each read on NIO's
/// blocking-I/O thread pool.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let handle: FileHandle
    let chunkSize: Int
    /// How errors name the source: `'path'` or `the file handle`.
    let name: String

    func makeAsyncIterator() -> Iterator {
        Iterator(chunks: self)
    }

    struct Iterator: AsyncIteratorProtocol {
        let chunks: FileChunks
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            let chunks = self.chunks
            let data: Data?
            do {
                data = try await NIOThreadPool.singleton.runIfActive {
                    try chunks.handle.read(upToCount: chunks.chunkSize)
                }
            } catch {
                finished = true
                throw FileReadError("cannot read \(chunks.name): \(error)")
            }
            guard let data, !data.isEmpty else {
                finished = true
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }
}
