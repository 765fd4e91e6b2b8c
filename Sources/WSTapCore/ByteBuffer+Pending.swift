import NIOCore

extension ByteBuffer {
    /// Adds received bytes to a decoder's pending input: an empty buffer simply takes the new one
    /// (no copy); otherwise the bytes are appended.
    mutating func appendPending(_ buffer: ByteBuffer) {
        if readableBytes == 0 {
            self = buffer
        } else {
            var buffer = buffer
            writeBuffer(&buffer)
        }
    }
}
