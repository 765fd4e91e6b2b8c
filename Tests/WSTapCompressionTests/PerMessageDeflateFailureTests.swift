import NIOCore
import Testing
import WSTapCompression
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite("permessage-deflate failures")
struct PerMessageDeflateFailureTests {
    @Test func aZipBombStopsAtTheLimit() throws {
        // 64 MiB of zeros compresses to about 64 KiB.
        let compressor = try PerMessageDeflateCompressor()
        let bomb = try compressor.compress(ByteBuffer(repeating: 0, count: 64 << 20))
        #expect(bomb.readableBytes < 100_000)
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1 << 20)
        #expect(throws: PerMessageDeflateError(.messageTooLarge(limit: 1 << 20))) {
            _ = try decompressor.decompress(bomb)
        }
        // The decompressor starts over: a good message after the failure (with a fresh window) still reads.
        let fresh = try PerMessageDeflateCompressor()
        let hello = try fresh.compress(ByteBuffer(string: "Hello"))
        #expect(try decompressor.decompress(hello) == ByteBuffer(string: "Hello"))
    }

    @Test func noLimitAtAllIsAllowed() throws {
        let compressor = try PerMessageDeflateCompressor()
        let message = ByteBuffer(repeating: 7, count: 300_000)
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: Int.max)
        #expect(try decompressor.decompress(try compressor.compress(message)) == message)
        let piece = try compressor.compress(ByteBuffer(string: "again"))
        #expect(try decompressor.decompressFragment(piece, isFinal: true) == ByteBuffer(string: "again"))
    }

    @Test func theLimitIsExactAndCountsEveryFragment() throws {
        let compressor = try PerMessageDeflateCompressor()
        let payload = try compressor.compress(ByteBuffer(repeating: 0x41, count: 1000))
        let exact = try PerMessageDeflateDecompressor(maxMessageSize: 1000)
        #expect(try exact.decompress(payload).readableBytes == 1000)
        let short = try PerMessageDeflateDecompressor(maxMessageSize: 999)
        #expect(throws: PerMessageDeflateError(.messageTooLarge(limit: 999))) {
            _ = try short.decompress(payload)
        }
        let fragments = try PerMessageDeflateDecompressor(maxMessageSize: 999)
        let bytes = TestBytes.array(payload)
        _ = try fragments.decompressFragment(TestBytes.buffer(Array(bytes.prefix(2))), isFinal: false)
        #expect(throws: PerMessageDeflateError(.messageTooLarge(limit: 999))) {
            _ = try fragments.decompressFragment(TestBytes.buffer(Array(bytes.dropFirst(2))), isFinal: true)
        }
        #expect(PerMessageDeflateError(.messageTooLarge(limit: 1)).closeCode == .messageTooBig)
    }

    @Test(
        arguments: [
            [0xFF, 0xFF, 0xFF, 0xFF],  // reserved block type 11
            [0x00, 0x05, 0x00, 0x00, 0x00, 0x48],  // stored block whose NLEN is not LEN's complement
            [0x06],  // BFINAL 0 with the reserved block type 11
            // A reserved block type after good blocks.
            [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x07],
        ] as [[UInt8]])
    func corruptDataFailsWithAnError(bytes: [UInt8]) throws {
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1 << 20)
        #expect(throws: PerMessageDeflateError(.corruptData)) {
            _ = try decompressor.decompress(TestBytes.buffer(bytes))
        }
        #expect(PerMessageDeflateError(.corruptData).closeCode == .invalidPayloadData)
    }

    @Test func aDistanceBeforeTheStartOfTheWindowIsCorrupt() throws {
        // The second "Hello" refers to the first; without it (or after a reset) the distance is too far back.
        let decompressor = try PerMessageDeflateDecompressor(noContextTakeover: true, maxMessageSize: 100)
        #expect(throws: PerMessageDeflateError(.corruptData)) {
            _ = try decompressor.decompress(TestBytes.buffer([0xF2, 0x00, 0x11, 0x00, 0x00]))
        }
    }

    @Test func randomGarbageNeverCrashes() throws {
        var generator = FuzzRandom(seed: 1234)
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1 << 16)
        for size in 0..<400 {
            let bytes = TestBytes.payload(size: size % 97, repetitive: false, using: &generator)
            do {
                _ = try decompressor.decompress(TestBytes.buffer(bytes))
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func moreThanOneFinalBlockInAMessageIsRefused() throws {
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1 << 16)
        let twice: [UInt8] = [0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        #expect(throws: PerMessageDeflateError(.repeatedFinalBlock)) {
            _ = try decompressor.decompress(TestBytes.buffer(twice))
        }
    }

    @Test func misuseAndBadWindowsAreErrors() throws {
        #expect(throws: PerMessageDeflateError(.invalidWindowBits(16))) {
            _ = try PerMessageDeflateCompressor(windowBits: 16)
        }
        #expect(throws: PerMessageDeflateError(.invalidWindowBits(7))) {
            _ = try PerMessageDeflateDecompressor(windowBits: 7, maxMessageSize: 10)
        }
        let compressor = try PerMessageDeflateCompressor()
        _ = try compressor.compressFragment(ByteBuffer(string: "a"), isFinal: false)
        #expect(throws: PerMessageDeflateError.self) {
            _ = try compressor.compress(ByteBuffer(string: "b"))
        }
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 10)
        _ = try decompressor.decompressFragment(TestBytes.buffer([0xF2]), isFinal: false)
        #expect(throws: PerMessageDeflateError.self) {
            _ = try decompressor.decompress(TestBytes.buffer([0x00]))
        }
    }
}

/// An empty message right after another one: zlib has nothing to flush and reports no progress.
@Test func emptyMessageAfterAFlushCompressesToOneZeroByte() throws {
    let compressor = try PerMessageDeflateCompressor(windowBits: 15, noContextTakeover: false)
    let decompressor = try PerMessageDeflateDecompressor(
        windowBits: 15, noContextTakeover: false, maxMessageSize: 1 << 20)
    for message in ["first", "", "", "last"] {
        let compressed = try compressor.compress(ByteBuffer(string: message))
        #expect(compressed.readableBytes > 0)
        #expect(String(buffer: try decompressor.decompress(compressed)) == message)
    }
}
