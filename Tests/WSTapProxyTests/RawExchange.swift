import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP client for bytes no ordinary client would send: connects to 127.0.0.1, sends, then
/// reads until the other side closes (a read waiting more than 20 s is an error, so a test cannot hang).
enum RawExchange {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `text` (its UTF-8, so control bytes go as they are) and returns everything read back.
    static func send(_ text: String, to port: Int) throws -> String {
        String(decoding: try send(bytes: Array(text.utf8), to: port), as: UTF8.self)
    }

    /// Sends `bytes` and returns everything read back.
    static func send(bytes: [UInt8], to port: Int) throws -> [UInt8] {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 90, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to 127.0.0.1:\(port)") }
        if !bytes.isEmpty {
            guard Glibc.send(descriptor, bytes, bytes.count, 0) == bytes.count else {
                throw Failure(description: "short send")
            }
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count < 0 {
                let error = errno
                if error == EINTR { continue }
                // A reset ends the exchange as a close does (what came before it was read).
                if error == ECONNRESET { break }
                if error == EAGAIN || error == EWOULDBLOCK {
                    throw Failure(description: "127.0.0.1:\(port) neither answered nor closed within 90 s")
                }
                throw Failure(description: "reading from 127.0.0.1:\(port): \(String(cString: strerror(error)))")
            }
            if count == 0 { break }
            received += chunk[..<count]
        }
        return received
    }
}
