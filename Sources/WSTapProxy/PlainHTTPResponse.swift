import NIOCore

/// A short plain-text HTTP response the proxy writes itself (a refusal such as 400 or 502), after which it
/// closes the connection.
enum PlainHTTPResponse {
    /// `HTTP/1.1 <status>` with `body` and a newline as text, `Connection: close`.
    static func make(status: String, body: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        let text = body + "\n"
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(text.utf8.count)\r\n"
            + "Connection: close\r\n\r\n"
        return allocator.buffer(string: head + text)
    }
}
