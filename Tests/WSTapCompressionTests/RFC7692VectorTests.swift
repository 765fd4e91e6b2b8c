import NIOCore
import Testing
import WSTapCompression

/// The examples of RFC 7692 section 7.2.3, byte for byte.
@Suite("RFC 7692 section 7.2.3 examples")
struct RFC7692VectorTests {
    let hello = Array("Hello".utf8)

    @Test func compressesHelloAsOneBlock() throws {
        let compressor = try PerMessageDeflateCompressor()
        let payload = try compressor.compress(TestBytes.buffer(hello))
        #expect(TestBytes.array(payload) == [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
    }

    @Test func sharesTheWindowWithTheNextMessage() throws {
        let compressor = try PerMessageDeflateCompressor()
        _ = try compressor.compress(TestBytes.buffer(hello))
        let second = try compressor.compress(TestBytes.buffer(hello))
        #expect(TestBytes.array(second) == [0xF2, 0x00, 0x11, 0x00, 0x00])
    }

    @Test func withoutContextTakeoverEveryMessageIsTheSame() throws {
        let compressor = try PerMessageDeflateCompressor(noContextTakeover: true)
        for _ in 0..<3 {
            let payload = try compressor.compress(TestBytes.buffer(hello))
            #expect(TestBytes.array(payload) == [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
        }
    }

    @Test func inflatesOneBlockAndTheSharedWindowMessage() throws {
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1024)
        let first = try decompressor.decompress(TestBytes.buffer([0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]))
        #expect(TestBytes.array(first) == hello)
        let second = try decompressor.decompress(TestBytes.buffer([0xF2, 0x00, 0x11, 0x00, 0x00]))
        #expect(TestBytes.array(second) == hello)
    }

    @Test func inflatesTheFragmentedExample() throws {
        // 7.2.3.1: the same payload split into the frames 0x41 0x03 f2 48 cd and 0x80 0x04 c9 c9 07 00.
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1024)
        var message = try decompressor.decompressFragment(TestBytes.buffer([0xF2, 0x48, 0xCD]), isFinal: false)
        #expect(decompressor.isMessageOpen)
        var rest = try decompressor.decompressFragment(TestBytes.buffer([0xC9, 0xC9, 0x07, 0x00]), isFinal: true)
        message.writeBuffer(&rest)
        #expect(TestBytes.array(message) == hello)
        #expect(!decompressor.isMessageOpen)
    }

    @Test func inflatesABlockWithNoCompression() throws {
        // 7.2.3.3
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1024)
        let payload: [UInt8] = [0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00]
        #expect(TestBytes.array(try decompressor.decompress(TestBytes.buffer(payload))) == hello)
    }

    @Test func inflatesABlockWithBFINALSet() throws {
        // 7.2.3.4, then the same message again: the stream restarts for it.
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1024)
        let payload: [UInt8] = [0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00]
        #expect(TestBytes.array(try decompressor.decompress(TestBytes.buffer(payload))) == hello)
        #expect(TestBytes.array(try decompressor.decompress(TestBytes.buffer(payload))) == hello)
        // Without the trailing 0x00 as well (a plain Z_FINISH stream).
        let finished = Array(payload.dropLast())
        #expect(TestBytes.array(try decompressor.decompress(TestBytes.buffer(finished))) == hello)
        #expect(
            TestBytes.array(try decompressor.decompress(TestBytes.buffer([0xF2, 0x00, 0x11, 0x00, 0x00]))) == hello)
    }

    @Test func inflatesTwoBlocksInOneMessage() throws {
        // 7.2.3.5
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1024)
        let payload: [UInt8] = [0xF2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xCA, 0xC9, 0xC9, 0x07, 0x00]
        #expect(TestBytes.array(try decompressor.decompress(TestBytes.buffer(payload))) == hello)
    }

    @Test func emptyMessagesAndEmptyFragments() throws {
        // 7.2.3.6: an empty message compresses to a single 0x00; a non-final part may produce nothing.
        let compressor = try PerMessageDeflateCompressor()
        let empty = try compressor.compress(ByteBuffer())
        #expect(TestBytes.array(empty) == [0x00])
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1024)
        #expect(try decompressor.decompress(empty).readableBytes == 0)
        #expect(try decompressor.decompress(TestBytes.buffer([0x02, 0x00])).readableBytes == 0)
        var first = try compressor.compressFragment(TestBytes.buffer(hello), isFinal: false)
        var last = try compressor.compressFragment(ByteBuffer(), isFinal: true)
        first.writeBuffer(&last)
        #expect(TestBytes.array(try decompressor.decompress(first)) == hello)
    }
}
