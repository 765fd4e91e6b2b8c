import NIOCore
import Testing
import WSTapCompression
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite("permessage-deflate round trips")
struct PerMessageDeflateRoundTripTests {
    static let sizes = [0, 1, 2, 100, 1000, 32_767, 32_768, 65_536, 100_000, 1 << 20]

    @Test(arguments: [false, true], [false, true])
    func roundTripsMessagesOfManySizes(noContextTakeover: Bool, repetitive: Bool) throws {
        var generator = FuzzRandom(seed: 7692)
        let compressor = try PerMessageDeflateCompressor(noContextTakeover: noContextTakeover)
        let decompressor = try PerMessageDeflateDecompressor(
            noContextTakeover: noContextTakeover, maxMessageSize: 1 << 20)
        for size in Self.sizes {
            let message = TestBytes.payload(size: size, repetitive: repetitive, using: &generator)
            let payload = try compressor.compress(TestBytes.buffer(message))
            if repetitive, size >= 1000 {
                #expect(payload.readableBytes < size / 4)
            }
            let inflated = try decompressor.decompress(payload)
            #expect(TestBytes.array(inflated) == message, "size \(size)")
        }
    }

    @Test(arguments: 8...15)
    func roundTripsWithEveryWindowSize(windowBits: Int) throws {
        var generator = FuzzRandom(seed: UInt64(windowBits))
        let compressor = try PerMessageDeflateCompressor(windowBits: windowBits)
        let decompressor = try PerMessageDeflateDecompressor(windowBits: windowBits, maxMessageSize: 1 << 20)
        for size in [10, 300, 5000, 70_000] {
            for repetitive in [true, false] {
                let message = TestBytes.payload(size: size, repetitive: repetitive, using: &generator)
                let inflated = try decompressor.decompress(compressor.compress(TestBytes.buffer(message)))
                #expect(TestBytes.array(inflated) == message)
            }
        }
    }

    @Test func contextTakeoverShrinksARepeatedMessage() throws {
        let message = TestBytes.buffer(Array("{\"type\":\"tick\",\"symbol\":\"ACME\",\"price\":1234.5}".utf8))
        let keeping = try PerMessageDeflateCompressor()
        let resetting = try PerMessageDeflateCompressor(noContextTakeover: true)
        let firstKeeping = try keeping.compress(message)
        let secondKeeping = try keeping.compress(message)
        let secondResetting = try resetting.compress(message)
        #expect(secondKeeping.readableBytes < firstKeeping.readableBytes)
        #expect(secondResetting.readableBytes == firstKeeping.readableBytes)
    }

    @Test(arguments: [1, 7, 1000])
    func inflatesAMessageGivenInFragments(fragmentSize: Int) throws {
        var generator = FuzzRandom(seed: 99)
        let compressor = try PerMessageDeflateCompressor()
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1 << 20)
        for _ in 0..<3 {
            let message = TestBytes.payload(size: 20_000, repetitive: true, using: &generator)
            let payload = TestBytes.array(try compressor.compress(TestBytes.buffer(message)))
            var inflated: [UInt8] = []
            var start = 0
            repeat {
                let end = min(start + fragmentSize, payload.count)
                let part = try decompressor.decompressFragment(
                    TestBytes.buffer(Array(payload[start..<end])), isFinal: end == payload.count)
                inflated += TestBytes.array(part)
                start = end
            } while start < payload.count
            #expect(inflated == message)
        }
    }

    @Test func compressesAMessageInFragments() throws {
        var generator = FuzzRandom(seed: 5)
        let compressor = try PerMessageDeflateCompressor()
        let decompressor = try PerMessageDeflateDecompressor(maxMessageSize: 1 << 20)
        let message = TestBytes.payload(size: 50_000, repetitive: false, using: &generator)
        var frames: [ByteBuffer] = []
        for start in stride(from: 0, to: message.count, by: 8192) {
            let end = min(start + 8192, message.count)
            frames.append(
                try compressor.compressFragment(
                    TestBytes.buffer(Array(message[start..<end])), isFinal: end == message.count))
        }
        var inflated: [UInt8] = []
        for (index, frame) in frames.enumerated() {
            inflated += TestBytes.array(try decompressor.decompressFragment(frame, isFinal: index == frames.count - 1))
        }
        #expect(inflated == message)
        // And a whole message right after, with the window carried over.
        let next = try decompressor.decompress(compressor.compress(TestBytes.buffer(message)))
        #expect(TestBytes.array(next) == message)
    }

    @Test func agreedParametersPickEachDirection() throws {
        let agreed = PerMessageDeflateParameters(
            serverNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: .limit(12))
        let serverSide = try PerMessageDeflateCompressor(agreed: agreed, sender: .server)
        let clientSide = try PerMessageDeflateDecompressor(agreed: agreed, sender: .server, maxMessageSize: 100)
        #expect(serverSide.windowBits == 10 && serverSide.noContextTakeover)
        #expect(clientSide.windowBits == 10 && clientSide.noContextTakeover)
        let clientCompressor = try PerMessageDeflateCompressor(agreed: agreed, sender: .client)
        #expect(clientCompressor.windowBits == 12 && !clientCompressor.noContextTakeover)
    }

    @Test func inspectorFollowsRSV1AcrossFramesOfOneDirection() throws {
        let compressor = try PerMessageDeflateCompressor()
        let inspector = try PerMessageDeflateInspector(
            agreed: PerMessageDeflateParameters(), sender: .client, maxMessageSize: 1 << 16)
        let hello = TestBytes.buffer(Array("Hello".utf8))
        let compressed = TestBytes.array(try compressor.compress(hello))
        var collected: [UInt8] = []
        for (index, part) in [Array(compressed.prefix(3)), Array(compressed.dropFirst(3))].enumerated() {
            let result = try inspector.inspect(
                opcode: index == 0 ? .text : .continuation, reservedBits: index == 0 ? .rsv1 : [], fin: index == 1,
                payload: TestBytes.buffer(part))
            guard case .inflated(let bytes) = result else {
                Issue.record("expected inflated bytes")
                return
            }
            collected += TestBytes.array(bytes)
        }
        #expect(collected == Array("Hello".utf8))
        let ping = try inspector.inspect(opcode: .ping, reservedBits: [], fin: true, payload: hello)
        guard case .plain = ping else {
            Issue.record("a ping passes through")
            return
        }
        let plain = try inspector.inspect(opcode: .binary, reservedBits: [], fin: true, payload: hello)
        guard case .plain(let bytes) = plain else {
            Issue.record("a message without RSV1 passes through")
            return
        }
        #expect(bytes == hello)
        let again = try inspector.inspect(
            opcode: .text, reservedBits: .rsv1, fin: true, payload: compressor.compress(hello))
        guard case .inflated(let second) = again else {
            Issue.record("expected inflated bytes")
            return
        }
        #expect(second == hello)
    }
}

/// The inspector keeps the first bytes of a message that inflates to more than it shows (a display
/// limit): the start is kept, the rest inflated and dropped so the next messages still inflate.
@Suite struct InspectorDisplayLimitTests {
    static let big = Array(String(repeating: "wstap display limit ", count: 150_000).utf8)  // 3 MB

    @Test func aMessageOverTheLimitKeepsItsStartAndTheNextOneStillInflates() throws {
        let compressor = try PerMessageDeflateCompressor()
        let inspector = try PerMessageDeflateInspector(
            agreed: PerMessageDeflateParameters(), sender: .client, maxMessageSize: 1 << 20)
        let compressed = TestBytes.array(try compressor.compress(TestBytes.buffer(Self.big)))
        // In two frames, as a sender fragmenting it would.
        let half = compressed.count / 2
        var kept: [UInt8] = []
        var lengths: [Int?] = []
        for (index, part) in [Array(compressed.prefix(half)), Array(compressed.dropFirst(half))].enumerated() {
            let result = try inspector.inspect(
                opcode: index == 0 ? .text : .continuation, reservedBits: index == 0 ? .rsv1 : [], fin: index == 1,
                payload: TestBytes.buffer(part))
            switch result {
            case .inflatedCut(let bytes, let cut):
                kept += TestBytes.array(bytes)
                lengths.append(cut.inflatedLength)
                #expect(cut.limit == 1 << 20)
            case .inflated(let bytes):
                kept += TestBytes.array(bytes)
                lengths.append(bytes.readableBytes)
            case .plain:
                Issue.record("a compressed frame came back plain")
            }
        }
        #expect(kept == Array(Self.big.prefix(1 << 20)), "the message's first bytes, exactly")
        #expect(lengths.compactMap { $0 }.reduce(0, +) == Self.big.count, "what each frame inflates to, in all")
        let next = try inspector.inspect(
            opcode: .text, reservedBits: .rsv1, fin: true,
            payload: compressor.compress(TestBytes.buffer(Array("wstap display limit, again".utf8))))
        guard case .inflated(let again) = next else {
            Issue.record("the next message inflates whole: \(next)")
            return
        }
        #expect(TestBytes.array(again) == Array("wstap display limit, again".utf8), "the window stayed in step")
    }

    @Test func pastTheWorkLimitInflatingStopsAndLaterFailuresSayWhy() throws {
        let compressor = try PerMessageDeflateCompressor()
        let inspector = try PerMessageDeflateInspector(
            agreed: PerMessageDeflateParameters(), sender: .client, maxMessageSize: 1 << 10, workLimit: 1 << 20)
        let result = try inspector.inspect(
            opcode: .text, reservedBits: .rsv1, fin: true, payload: compressor.compress(TestBytes.buffer(Self.big)))
        guard case .inflatedCut(let bytes, let cut) = result else {
            Issue.record("expected the start of it: \(result)")
            return
        }
        #expect(TestBytes.array(bytes) == Array(Self.big.prefix(1 << 10)))
        #expect(cut.inflatedLength == nil, "inflating stopped: its length is not known")
        // The window is gone: a message that refers back to it cannot be inflated, and the error says why.
        let payload = try compressor.compress(TestBytes.buffer(Array("wstap display limit".utf8)))
        let error = #expect(throws: PerMessageDeflateError.self) {
            _ = try inspector.inspect(opcode: .text, reservedBits: .rsv1, fin: true, payload: payload)
        }
        #expect(
            error.map { "\($0)" }?.contains("an earlier message inflated to more than 1048576 bytes") == true,
            "\(String(describing: error))")
    }
}
