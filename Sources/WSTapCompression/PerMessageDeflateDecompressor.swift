internal import CompressNIO
public import NIOCore
public import WSTapCore

/// Inflates the messages one endpoint receives with permessage-deflate (RFC 7692 section 7.2.2): appends
/// `00 00 ff ff` to the payload of a message whose first frame had RSV1 set, and inflates it as raw DEFLATE.
///
/// The LZ77 window carries over between messages unless `noContextTakeover` is set. The inflated size of one
/// message is limited to `maxMessageSize`: a message that inflates to more fails with
/// ``PerMessageDeflateError/Kind/messageTooLarge(limit:)`` after at most about that many bytes were written,
/// and corrupt data fails with ``PerMessageDeflateError/Kind/corruptData``. After an error the window is gone,
/// so the connection should be failed (1009 or 1007, see ``PerMessageDeflateError/closeCode``).
///
/// A message that ends with a DEFLATE block with BFINAL set (RFC 7692 section 7.2.3.4) is accepted; the next
/// message then continues from the same window when context takeover applies. Truncated data that ends inside
/// a block cannot be told from data still to come; it shows up as corruption in a later message, if at all.
///
/// A decompressor holds zlib state: it is a class and not `Sendable`; use each one from one thread (one event
/// loop) at a time, for one direction of one connection.
public final class PerMessageDeflateDecompressor {
    /// The window bits the sender compresses with, 8-15 (8 is inflated with 9, which reads the same data).
    public let windowBits: Int
    /// Whether the window is dropped after each message.
    public let noContextTakeover: Bool
    /// The largest inflated message, in bytes.
    public let maxMessageSize: Int

    private var zlib: ZlibDecompressor
    private let allocator: ByteBufferAllocator
    /// Whether a message is being inflated fragment by fragment.
    private var messageOpen = false
    /// Inflated bytes of the open message so far.
    private var messageSize = 0
    /// DEFLATE blocks with BFINAL set seen in the open message.
    private var finalBlocks = 0
    /// The stream was restarted after a BFINAL block and no byte of the message has been fed since, so the
    /// appended `00 00 ff ff` is not needed.
    private var restartedAfterFinalBlock = false
    /// The last bytes inflated (at most one window), to carry the window over a BFINAL block with context
    /// takeover.
    private var history: [UInt8] = []
    private let historyLimit: Int

    /// Creates a decompressor.
    ///
    /// - Parameters:
    ///   - windowBits: the sender's negotiated `*_max_window_bits`, 8-15. A decompressor made with 15 reads
    ///     whatever window the sender used (handy when inspecting a peer that may not keep to its limit).
    ///   - noContextTakeover: whether the sender agreed to `*_no_context_takeover`.
    ///   - maxMessageSize: the largest inflated message accepted, in bytes.
    /// - Throws: ``PerMessageDeflateError`` for window bits outside 8-15 or when zlib cannot start.
    public init(
        windowBits: Int = 15, noContextTakeover: Bool = false, maxMessageSize: Int,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(PerMessageDeflateError) {
        try PerMessageDeflateError.checkWindowBits(windowBits)
        self.windowBits = windowBits
        self.noContextTakeover = noContextTakeover
        // One below Int.max: the limit plus one byte (to see a message go past it) must not overflow.
        self.maxMessageSize = min(max(0, maxMessageSize), Int.max - 1)
        self.allocator = allocator
        let effective = PerMessageDeflateParameters.effectiveWindowBits(windowBits)
        historyLimit = 1 << effective
        zlib = try Self.makeInflater(windowBits: effective)
    }

    /// Creates the decompressor for the messages `sender` sends under the agreed parameters (a server's
    /// response).
    public convenience init(
        agreed parameters: PerMessageDeflateParameters, sender: EndpointRole, maxMessageSize: Int,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(PerMessageDeflateError) {
        try self.init(
            windowBits: parameters.maxWindowBits(sender: sender),
            noContextTakeover: parameters.noContextTakeover(sender: sender), maxMessageSize: maxMessageSize,
            allocator: allocator)
    }

    /// The last bytes inflated, up to one window, that later messages may refer back into (empty without
    /// context takeover): what a compressor taking over this stream must start from
    /// (``PerMessageDeflateCompressor/primeWindow(with:)``).
    public var window: [UInt8] { history }

    /// Whether a message given fragment by fragment is not finished yet.
    public var isMessageOpen: Bool { messageOpen }

    /// Inflates one whole compressed message (the payloads of its frames joined).
    ///
    /// - Throws: ``PerMessageDeflateError`` when the data is corrupt, inflates past `maxMessageSize`, or a
    ///   fragmented message is still open.
    public func decompress(_ payload: ByteBuffer) throws(PerMessageDeflateError) -> ByteBuffer {
        guard !messageOpen else {
            throw PerMessageDeflateError(.misuse("a fragmented message is still being inflated"))
        }
        return try decompressFragment(payload, isFinal: true)
    }

    /// Inflates the payload of the next frame of a compressed message and returns what it inflates to (maybe
    /// nothing yet). `isFinal` is the frame's FIN bit; the limit applies to the whole message.
    ///
    /// - Throws: ``PerMessageDeflateError``; the message is then dropped and the window with it.
    public func decompressFragment(_ payload: ByteBuffer, isFinal: Bool) throws(PerMessageDeflateError) -> ByteBuffer {
        if !messageOpen {
            messageOpen = true
            messageSize = 0
            finalBlocks = 0
            restartedAfterFinalBlock = false
        }
        var output = allocator.buffer(capacity: min(max(payload.readableBytes * 4, 256), maxMessageSize + 1))
        do {
            var input = payload
            try inflate(&input, into: &output, isTail: false)
            if isFinal, !restartedAfterFinalBlock {
                var tail = ByteBuffer(bytes: [0x00, 0x00, 0xFF, 0xFF])
                try inflate(&tail, into: &output, isTail: true)
            }
            try remember(output, from: output.readerIndex)
        } catch {
            abandonMessage()
            throw error
        }
        messageSize += output.readableBytes
        if isFinal {
            messageOpen = false
            if noContextTakeover {
                try resetInflater()
            }
        }
        return output
    }

    /// Drops a message given in fragments halfway (say the connection failed), and the window with it: the
    /// next message inflates from an empty window.
    public func abandonMessage() {
        messageOpen = false
        messageSize = 0
        history = []
        try? zlib.reset()
    }

    // MARK: - Pieces

    /// Feeds `input` to zlib until it is all taken, growing `output` within the message limit.
    private func inflate(
        _ input: inout ByteBuffer, into output: inout ByteBuffer, isTail: Bool
    ) throws(PerMessageDeflateError) {
        while input.readableBytes > 0 {
            if !isTail {
                restartedAfterFinalBlock = false
            }
            let room = maxMessageSize - messageSize - output.readableBytes
            if output.writableBytes == 0 {
                // One byte past the limit is enough to know the message is too large.
                output.reserveCapacity(minimumWritableBytes: min(max(output.readableBytes, 16 << 10), room + 1))
            }
            var outputFull = false
            do {
                try zlib.inflate(from: &input, to: &output)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                outputFull = true
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                // Z_BUF_ERROR with every input byte taken: zlib waits for more.
            } catch let error as CompressNIOError where error == .corruptData {
                throw PerMessageDeflateError(.corruptData)
            } catch {
                throw PerMessageDeflateError(.zlibFailure("inflate: \(error)"))
            }
            if messageSize + output.readableBytes > maxMessageSize {
                throw PerMessageDeflateError(.messageTooLarge(limit: maxMessageSize))
            }
            if !outputFull, input.readableBytes > 0 {
                // zlib returns with input left and room in the output only at the end of the stream: a block
                // with BFINAL set ended it (RFC 7692 section 7.2.3.4).
                finalBlocks += 1
                guard finalBlocks == 1 else { throw PerMessageDeflateError(.repeatedFinalBlock) }
                try remember(output, from: output.readerIndex)
                try restartAfterFinalBlock()
                if isTail {
                    // What is left is (part of) the 00 00 ff ff this end appended.
                    input.moveReaderIndex(to: input.writerIndex)
                }
            }
        }
    }

    /// Keeps the last window's worth of inflated bytes when the window carries over.
    private func remember(_ output: ByteBuffer, from start: Int) throws(PerMessageDeflateError) {
        guard !noContextTakeover else { return }
        let count = output.writerIndex - start
        let kept = min(count, historyLimit)
        guard kept > 0, let bytes = output.getBytes(at: output.writerIndex - kept, length: kept) else { return }
        history += bytes
        if history.count > historyLimit {
            history.removeFirst(history.count - historyLimit)
        }
    }

    /// Starts a new DEFLATE stream after a BFINAL block; with context takeover the window is restored by
    /// inflating the remembered bytes as stored blocks, whose output is dropped.
    private func restartAfterFinalBlock() throws(PerMessageDeflateError) {
        try resetInflater(keepingHistory: true)
        restartedAfterFinalBlock = true
        guard !noContextTakeover, !history.isEmpty else { return }
        var primer = ByteBuffer()
        primer.reserveCapacity(history.count + 5 * (history.count / 0xFFFF + 1))
        var offset = 0
        while offset < history.count {
            let length = min(history.count - offset, 0xFFFF)
            primer.writeInteger(UInt8(0))  // BFINAL 0, BTYPE 00 (stored), padding to the byte boundary
            primer.writeInteger(UInt16(length), endianness: .little)
            primer.writeInteger(~UInt16(length), endianness: .little)
            primer.writeBytes(history[offset..<offset + length])
            offset += length
        }
        var scratch = allocator.buffer(capacity: history.count + 64)
        do {
            try zlib.inflate(from: &primer, to: &scratch)
        } catch let error as CompressNIOError where error == .inputBufferOverflow {
            // Every byte taken.
        } catch {
            throw PerMessageDeflateError(.zlibFailure("restoring the window after a final block: \(error)"))
        }
        guard primer.readableBytes == 0 else {
            throw PerMessageDeflateError(.zlibFailure("restoring the window after a final block left input"))
        }
    }

    private func resetInflater(keepingHistory: Bool = false) throws(PerMessageDeflateError) {
        if !keepingHistory {
            history = []
        }
        do {
            try zlib.reset()
        } catch {
            throw PerMessageDeflateError(.zlibFailure("inflateReset: \(error)"))
        }
    }

    private static func makeInflater(windowBits: Int) throws(PerMessageDeflateError) -> ZlibDecompressor {
        do {
            return try ZlibDecompressor(algorithm: .deflate, windowSize: Int32(windowBits))
        } catch {
            throw PerMessageDeflateError(.zlibFailure("inflateInit2: \(error)"))
        }
    }
}
