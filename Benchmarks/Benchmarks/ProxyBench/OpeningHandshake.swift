import Foundation
import NIOCore
import WSTapCore

/// The HTTP part of a WebSocket connection, just enough for the benchmark's own two ends.
enum OpeningHandshake {
    static let clientKey = "dGhlIHNhbXBsZSBub25jZQ=="

    /// The client's upgrade request for `path` on `host:port`.
    static func request(host: String, port: Int, path: String = "/") -> String {
        "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(clientKey)\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }

    /// The server's 101 answer to a request carrying `key`.
    static func response(key: String) -> String {
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(RFC6455Handshake.acceptValue(forKey: key))\r\n\r\n"
    }

    /// If `buffer` holds a whole HTTP head, removes it and returns it as text.
    static func takeHead(from buffer: inout ByteBuffer) -> String? {
        let view = buffer.readableBytesView
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard let range = view.firstRange(of: terminator) else { return nil }
        let length = range.upperBound - view.startIndex
        return buffer.readString(length: length)
    }

    /// The value of header `name` in `head`, if present.
    static func headerValue(_ name: String, in head: String) -> String? {
        for line in head.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
