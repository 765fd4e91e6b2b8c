import Foundation
import NIOCore
import Testing
import WSTapCompression
import WSTapMutation
import WSTapTestSupport

/// Debian's Python, whose zlib module is the other implementation.
private let debianPython = "/usr/bin/python3"

/// Checks the codec against another DEFLATE implementation: CPython's zlib module, run as Debian's
/// `/usr/bin/python3` (the test script installs it).
@Suite(
    "permessage-deflate against Python's zlib",
    .enabled(if: FileManager.default.isExecutableFile(atPath: debianPython)))
struct PythonZlibInteropTests {
    /// Runs a Python program with `input` on its standard input and returns its standard output lines.
    private func runPython(_ program: String, input: String = "") async throws -> [String] {
        let result = try await PeerProcess.run(debianPython, ["-c", program], input: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return result.text.split(separator: "\n").map(String.init)
    }

    private static func messages() -> [[UInt8]] {
        var generator = FuzzRandom(seed: 42)
        return [1, 5, 200, 4000, 40_000, 300_000].flatMap { size in
            [
                TestBytes.payload(size: size, repetitive: true, using: &generator),
                TestBytes.payload(size: size, repetitive: false, using: &generator),
            ]
        }
    }

    @Test(arguments: [(15, false), (15, true), (9, false), (12, false), (8, false)])
    func pythonInflatesWhatWeCompress(windowBits: Int, noContextTakeover: Bool) async throws {
        let compressor = try PerMessageDeflateCompressor(windowBits: windowBits, noContextTakeover: noContextTakeover)
        let messages = Self.messages()
        let input = try messages.map { TestBytes.hex(TestBytes.array(try compressor.compress(TestBytes.buffer($0)))) }
        let program = """
            import sys, zlib
            bits = \(PerMessageDeflateParametersBits.zlib(windowBits))
            d = zlib.decompressobj(-bits)
            for line in sys.stdin:
                if \(noContextTakeover ? "True" : "False"):
                    d = zlib.decompressobj(-bits)
                print(d.decompress(bytes.fromhex(line.strip()) + b"\\x00\\x00\\xff\\xff").hex())
            """
        let lines = try await runPython(program, input: input.joined(separator: "\n") + "\n")
        #expect(lines == messages.map(TestBytes.hex))
    }

    @Test(arguments: [false, true])
    func weInflateWhatPythonCompressesWithSyncFlush(noContextTakeover: Bool) async throws {
        let program = """
            import random, zlib
            rng = random.Random(7692)
            c = zlib.compressobj(wbits=-15)
            for size in [0, 1, 17, 1000, 50000, 200000]:
                for text in (True, False):
                    m = (b"permessage-deflate " * (size // 19 + 1))[:size] if text else rng.randbytes(size)
                    if \(noContextTakeover ? "True" : "False"):
                        c = zlib.compressobj(wbits=-15)
                    out = c.compress(m) + c.flush(zlib.Z_SYNC_FLUSH)
                    assert out.endswith(b"\\x00\\x00\\xff\\xff")
                    print(m.hex() or "-", out[:-4].hex())
            """
        let decompressor = try PerMessageDeflateDecompressor(
            noContextTakeover: noContextTakeover, maxMessageSize: 1 << 20)
        let lines = try await runPython(program)
        #expect(lines.count == 12)
        for line in lines {
            let parts = line.split(separator: " ").map(String.init)
            try #require(parts.count == 2)
            let expected = parts[0] == "-" ? [] : TestBytes.fromHex(parts[0])
            let inflated = try decompressor.decompress(TestBytes.buffer(TestBytes.fromHex(parts[1])))
            #expect(TestBytes.array(inflated) == expected)
        }
    }

    @Test func weInflateFinalBlocksThatKeepTheWindow() async throws {
        // A sender that ends every message with Z_FINISH (BFINAL set, RFC 7692 section 7.2.3.4) and carries the
        // window over by starting the next stream with the last 32 KiB as its dictionary.
        let program = """
            import zlib
            history = b""
            for i in range(6):
                m = (b"message %d repeats what came before; " % (i % 2)) * (50 + 400 * i)
                c = zlib.compressobj(wbits=-15, zdict=history) if history else zlib.compressobj(wbits=-15)
                out = c.compress(m) + c.flush()
                print(m.hex(), out.hex())
                history = (history + m)[-32768:]
            """
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1 << 20)
        for line in try await runPython(program) {
            let parts = line.split(separator: " ").map(String.init)
            try #require(parts.count == 2)
            let inflated = try decompressor.decompress(TestBytes.buffer(TestBytes.fromHex(parts[1])))
            #expect(TestBytes.hex(TestBytes.array(inflated)) == parts[0])
        }
    }
}

/// The window bits a zlib-based peer inflates with for a negotiated value (8 is read as 9).
private enum PerMessageDeflateParametersBits {
    static func zlib(_ bits: Int) -> Int { max(bits, 9) }
}
