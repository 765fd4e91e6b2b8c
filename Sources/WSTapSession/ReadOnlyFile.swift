#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file opened for reading at any offset (POSIX `pread`).
final class ReadOnlyFile {
    let path: String
    private let descriptor: Int32

    init(path: String) throws(RecordingError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RecordingError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw RecordingError.cannotRead(path: path, reason: reason)
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw RecordingError.cannotRead(path: path, reason: "it is a directory")
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Up to `count` bytes at `offset`; fewer only at the end of the file.
    func bytes(at offset: UInt64, count: Int) throws(RecordingError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: RecordingError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            do {
                initialized = try read(at: offset, count: count, into: UnsafeMutableRawPointer(base))
            } catch {
                failure = (error as? RecordingError) ?? .cannotRead(path: path, reason: "\(error)")
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads up to `count` bytes at `offset` into `destination`; fewer only at the end of the file.
    func read(at offset: UInt64, count: Int, into destination: UnsafeMutableRawPointer) throws(RecordingError) -> Int {
        var done = 0
        while done < count {
            let result = pread(descriptor, destination + done, count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw RecordingError.cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            if result == 0 { break }
            done += result
        }
        return done
    }
}
