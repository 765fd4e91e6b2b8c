internal import CompressNIO
public import NIOCore
public import WSTapCore

/// Compresses the messages one endpoint sends with permessage-deflate (RFC 7692 section 7.2.1): raw DEFLATE
/// ending in a sync flush, whose trailing `00 00 ff ff` is removed.
///
/// The LZ77 window carries over from one message to the next unless `noContextTakeover` is set. A compressor
/// holds zlib state: it is a class and not `Sendable`; use each one from one thread (one event loop) at a
/// time, for one direction of one connection. The payloads it returns go out in frames whose first one has RSV1
/// set.
public final class PerMessageDeflateCompressor {
    /// The window bits negotiated for this sender, 8-15.
    public let windowBits: Int
    /// Whether the window is dropped after each message.
    public let noContextTakeover: Bool

    private let zlib: ZlibCompressor
    private let allocator: ByteBufferAllocator
    /// Whether ``compressFragment(_:isFinal:)`` has started a message not yet finished.
    private var messageOpen = false

    /// Creates a compressor.
    ///
    /// - Parameters:
    ///   - windowBits: the sender's negotiated `*_max_window_bits`, 8-15; zlib compresses 8 as 9 (see
    ///     ``PerMessageDeflateParameters/effectiveWindowBits(_:)``).
    ///   - noContextTakeover: whether this sender agreed to `*_no_context_takeover`.
    ///   - compressionLevel: zlib's level, 0 (store) to 9 (best); -1 is zlib's default (6).
    ///   - memoryLevel: zlib's memory level, 1-9.
    /// - Throws: ``PerMessageDeflateError`` for window bits outside 8-15 or when zlib cannot start.
    public init(
        windowBits: Int = 15, noContextTakeover: Bool = false, compressionLevel: Int = -1, memoryLevel: Int = 8,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(PerMessageDeflateError) {
        try PerMessageDeflateError.checkWindowBits(windowBits)
        self.windowBits = windowBits
        self.noContextTakeover = noContextTakeover
        self.allocator = allocator
        let configuration = ZlibConfiguration(
            windowSize: Int32(PerMessageDeflateParameters.effectiveWindowBits(windowBits)),
            compressionLevel: Int32(min(max(compressionLevel, -1), 9)),
            memoryLevel: Int32(min(max(memoryLevel, 1), 9)))
        do {
            zlib = try ZlibCompressor(algorithm: .deflate, configuration: configuration)
        } catch {
            throw PerMessageDeflateError(.zlibFailure("deflateInit2: \(error)"))
        }
    }

    /// Creates the compressor for the messages `sender` sends under the agreed parameters (a server's
    /// response).
    public convenience init(
        agreed parameters: PerMessageDeflateParameters, sender: EndpointRole, compressionLevel: Int = -1,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(PerMessageDeflateError) {
        try self.init(
            windowBits: parameters.maxWindowBits(sender: sender),
            noContextTakeover: parameters.noContextTakeover(sender: sender), compressionLevel: compressionLevel,
            allocator: allocator)
    }

    /// Makes the window hold `history`, the last bytes the receiver inflated, as if they had been compressed in
    /// earlier messages, so that later messages may refer back into them. Nothing is sent for it: the receiver
    /// holds these bytes already. A proxy that starts compressing a stream midway (after it changed or dropped a
    /// message) uses it to continue where the receiver's window is. Does nothing without context takeover.
    ///
    /// - Throws: ``PerMessageDeflateError`` when a fragmented message is open or zlib fails.
    public func primeWindow(with history: [UInt8]) throws(PerMessageDeflateError) {
        guard !noContextTakeover, !history.isEmpty else { return }
        _ = try compress(
            ByteBuffer(bytes: history.suffix(1 << PerMessageDeflateParameters.effectiveWindowBits(windowBits))))
    }

    /// Compresses one whole message into the payload of its frames (RSV1 set on the first).
    ///
    /// - Throws: ``PerMessageDeflateError`` when a fragmented message is open or zlib fails.
    public func compress(_ message: ByteBuffer) throws(PerMessageDeflateError) -> ByteBuffer {
        guard !messageOpen else {
            throw PerMessageDeflateError(.misuse("a fragmented message is still being compressed"))
        }
        return try compressFragment(message, isFinal: true)
    }

    /// Compresses the next part of a message sent in several frames; the result is that frame's payload (it
    /// may be empty for a non-final part, which is a valid frame). The first frame of the message carries
    /// RSV1, its continuations do not.
    public func compressFragment(_ bytes: ByteBuffer, isFinal: Bool) throws(PerMessageDeflateError) -> ByteBuffer {
        var input = bytes
        var output = allocator.buffer(capacity: zlib.maxSize(from: input))
        do {
            try deflate(&input, into: &output, flush: isFinal ? .sync : .no)
        } catch {
            // The stream is in an unknown state: start over, whatever the context takeover.
            try? zlib.reset()
            messageOpen = false
            throw error
        }
        messageOpen = !isFinal
        guard isFinal else { return output }
        if output.readableBytes == 0 {
            // Nothing was pending (an empty message right after a flush): zlib has no progress to make. An
            // empty stored block without its length bytes, 0x00, is the compressed empty message (RFC 7692
            // 7.2.3.6).
            output.writeInteger(UInt8(0))
            return output
        }
        // A sync flush ends with an empty stored block whose last four bytes are 00 00 ff ff (RFC 7692 7.2.1).
        let end = output.writerIndex
        guard output.readableBytes >= 4, output.getBytes(at: end - 4, length: 4) == [0x00, 0x00, 0xFF, 0xFF] else {
            try? zlib.reset()
            throw PerMessageDeflateError(.zlibFailure("the sync flush did not end with 00 00 ff ff"))
        }
        output.moveWriterIndex(to: end - 4)
        if noContextTakeover {
            do {
                try zlib.reset()
            } catch {
                throw PerMessageDeflateError(.zlibFailure("deflateReset: \(error)"))
            }
        }
        return output
    }

    /// Runs deflate until all input is taken and, for a sync flush, the flush is complete.
    private func deflate(
        _ input: inout ByteBuffer, into output: inout ByteBuffer, flush: CompressNIOFlush
    ) throws(PerMessageDeflateError) {
        while true {
            if output.writableBytes < 64 {
                output.reserveCapacity(minimumWritableBytes: max(4096, output.readableBytes / 2))
            }
            do {
                try zlib.deflate(from: &input, to: &output, flush: flush)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // Z_BUF_ERROR: no progress was possible. With room left that means nothing is pending.
                guard output.writableBytes > 0 else { continue }
                if input.readableBytes == 0 { return }
                throw PerMessageDeflateError(.zlibFailure("deflate made no progress"))
            } catch {
                throw PerMessageDeflateError(.zlibFailure("deflate: \(error)"))
            }
            // deflate stops early only when the output is full; with room left, all is taken and flushed.
            if input.readableBytes == 0, output.writableBytes > 0 { return }
        }
    }
}
