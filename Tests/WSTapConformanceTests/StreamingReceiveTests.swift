import NIOCore
import Testing
import WSTapCompression
import WSTapConformance
import WSTapCore
import WSTapNetwork

/// `receiveStream()` (the original library's `ws-recv-stream`) on both of our endpoints: a message's
/// bytes come out as they arrive, frame by frame and within a frame, before the rest has been sent;
/// UTF-8 is still checked at the first bad byte.
@Suite(.serialized) struct StreamingReceiveTests {
    @Test(arguments: Side.allCases)
    func partOfAFrameComesOutBeforeTheRestIsSent(side: Side) async throws {
        let session = try await ConformanceSession.open(side, echoes: false)
        let streaming = Task { try await session.connection.receiveStream() }
        let payload = Payloads.ascii(20_000)
        let wire = await session.peer.encode([.text(payload)])
        let held = 15_000
        let sentPayload = payload.count - held
        await session.peer.write(Array(wire.dropLast(held)))
        let reading = try await StreamReading.start(streaming)
        #expect(reading.opcode == .text)
        var received: [UInt8] = []
        while received.count < sentPayload {
            guard case .chunk(let chunk) = await reading.next() else {
                Issue.record("\(side): the stream gave \(received.count) of the \(sentPayload) bytes sent so far")
                break
            }
            received += chunk
        }
        #expect(received == Array(payload.prefix(sentPayload)))
        await session.peer.write(Array(wire.suffix(held)))
        received += try await reading.rest()
        #expect(received == payload)
        await session.finish()
    }

    @Test(arguments: Side.allCases)
    func fragmentsComeOutAsTheyArriveWithPingsBetween(side: Side) async throws {
        let session = try await ConformanceSession.open(side, echoes: false)
        let streaming = Task { try await session.connection.receiveStream() }
        await session.peer.send(.text(Array("Hello ".utf8), fin: false))
        let reading = try await StreamReading.start(streaming)
        #expect(await reading.next() == .chunk(Array("Hello ".utf8)))
        await session.peer.send([.ping("between"), .continuation("wor", fin: false)])
        #expect(await reading.next() == .chunk(Array("wor".utf8)))
        guard case .frame(let pong) = await session.peer.nextFrame() else {
            Issue.record("\(side): no pong for the ping between fragments")
            return
        }
        #expect(pong.header.opcode == .pong)
        #expect(Array(pong.payload.readableBytesView) == Array("between".utf8))
        await session.peer.send(.continuation("ld"))
        #expect(try await reading.rest() == Array("ld".utf8))
        await session.finish()
    }

    @Test(arguments: Side.allCases)
    func aMessagePartlyReceivedStreamsFromWhereItIs(side: Side) async throws {
        let session = try await ConformanceSession.open(side, echoes: false)
        // The ping after the first fragment tells when that fragment has been taken in.
        await session.peer.send([.binary([1, 2, 3], fin: false), .ping("mark")])
        while let event = await session.connection.nextEvent() {
            if case .ping = event { break }
        }
        let streaming = Task { try await session.connection.receiveStream() }
        let reading = try await StreamReading.start(streaming)
        #expect(reading.opcode == .binary)
        #expect(await reading.next() == .chunk([1, 2, 3]))
        await session.peer.send(.continuation([4, 5]))
        #expect(try await reading.rest() == [4, 5])
        await session.finish()
    }

    @Test(arguments: Side.allCases)
    func invalidUTF8FailsTheStreamAtTheFirstBadByte(side: Side) async throws {
        let session = try await ConformanceSession.open(side, echoes: false)
        let streaming = Task { try await session.connection.receiveStream() }
        // A 1000-byte text frame of which only "abc" and then a byte that starts no character arrive.
        var spec = FrameSpec.text(Array("abc".utf8) + [0xC0] + Payloads.ascii(996))
        spec.fin = true
        let wire = await session.peer.encode([spec])
        let headerSize = wire.count - spec.payload.count
        await session.peer.write(Array(wire.prefix(headerSize + 3)))
        let reading = try await StreamReading.start(streaming)
        #expect(await reading.next() == .chunk(Array("abc".utf8)))
        await session.peer.write([wire[headerSize + 3]])
        guard case .failed(let failure) = await reading.next() else {
            Issue.record("\(side): the stream did not fail at the invalid byte")
            return
        }
        #expect(failure.contains("UTF-8"), "\(failure)")
        guard case .frame(let close) = await session.peer.nextFrame() else {
            Issue.record("\(side): no close frame after invalid UTF-8")
            return
        }
        #expect(close.closeBody?.code == .invalidPayloadData)
        await session.finish()
    }

    /// A compressed message streams too: what arrives is inflated as it comes and handed out in chunks of at
    /// most the stream buffer size (65536 bytes by default), not as one inflated piece at the end.
    @Test(arguments: Side.allCases)
    func aCompressedMessageStreamsInflatedInChunks(side: Side) async throws {
        let session = try await ConformanceSession.open(
            side, echoes: false, deflate: DeflateNegotiation(offer: .init(), response: .init()))
        let agreed = try #require(session.compression)
        let compressor = try PerMessageDeflateCompressor(agreed: agreed, sender: side.peerRole)
        let payload = Array(String(repeating: "inflated as it comes, ", count: 20_000).utf8)
        let compressed = Array(try compressor.compress(ByteBuffer(bytes: payload)).readableBytesView)
        let half = compressed.count / 2
        // The ping after the first fragment tells when that fragment has been taken in.
        await session.peer.send([
            FrameSpec(fin: false, reservedBits: .rsv1, opcode: .text, payload: Array(compressed[..<half])),
            .ping("mark"),
        ])
        while let event = await session.connection.nextEvent() {
            if case .ping = event { break }
        }
        let reading = try await StreamReading.start(Task { try await session.connection.receiveStream() })
        #expect(reading.opcode == .text)
        await session.peer.send(.continuation(Array(compressed[half...])))
        var sizes: [Int] = []
        var received: [UInt8] = []
        while true {
            guard case .chunk(let chunk) = await reading.next() else { break }
            sizes.append(chunk.count)
            received += chunk
        }
        #expect(received == payload)
        #expect(sizes.allSatisfy { $0 <= 65536 }, "\(sizes)")
        #expect(sizes.count >= payload.count / 65536, "\(sizes)")
        await session.finish()
    }

    /// Inflated text that is not UTF-8 fails the connection (1007) while it streams.
    @Test(arguments: Side.allCases)
    func invalidInflatedTextFailsTheStream(side: Side) async throws {
        let session = try await ConformanceSession.open(
            side, echoes: false, deflate: DeflateNegotiation(offer: .init(), response: .init()))
        let agreed = try #require(session.compression)
        let compressor = try PerMessageDeflateCompressor(agreed: agreed, sender: side.peerRole)
        let first = try compressor.compressFragment(ByteBuffer(bytes: Array("fine so far ".utf8)), isFinal: false)
        let bad = try compressor.compressFragment(ByteBuffer(bytes: [0xC0, 0x80]), isFinal: true)
        // The ping after the first fragment tells when that fragment has been taken in.
        await session.peer.send([
            FrameSpec(fin: false, reservedBits: .rsv1, opcode: .text, payload: Array(first.readableBytesView)),
            .ping("mark"),
        ])
        while let event = await session.connection.nextEvent() {
            if case .ping = event { break }
        }
        let reading = try await StreamReading.start(Task { try await session.connection.receiveStream() })
        await session.peer.send(.continuation(Array(bad.readableBytesView)))
        var outcome = await reading.next()
        while case .chunk = outcome { outcome = await reading.next() }
        guard case .failed = outcome else {
            Issue.record("\(side): the stream did not fail: \(outcome)")
            await session.finish()
            return
        }
        let transcript = await session.read(stopAtClose: true)
        #expect(transcript.pongs == [.pong(Array("mark".utf8))])
        #expect(transcript.close?.code == .invalidPayloadData, "\(side): \(String(describing: transcript.close))")
        await session.finish()
    }

    @Test(arguments: Side.allCases)
    func anEmptyMessageStreamsNoBytes(side: Side) async throws {
        let session = try await ConformanceSession.open(side, echoes: false)
        await session.peer.send(.text([]))
        let reading = try await StreamReading.start(Task { try await session.connection.receiveStream() })
        #expect(await reading.next() == .end)
        await session.finish()
    }

    @Test(arguments: Side.allCases)
    func anAbandonedStreamLeavesTheNextMessageWhole(side: Side) async throws {
        let session = try await ConformanceSession.open(side, echoes: false)
        await session.peer.send(.binary([1, 2, 3], fin: false))
        guard let stream = try await session.connection.receiveStream() else {
            Issue.record("\(side): no message")
            return
        }
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next() == ByteBuffer(bytes: [1, 2, 3]))
        await session.peer.send([.continuation([4]), .text("next")])
        let message = await session.connection.receive()
        #expect(message?.opcode == .text)
        #expect(message?.text == "next")
        await session.finish()
    }
}

/// What reading a message stream gave.
enum StreamItem: Equatable, Sendable {
    case chunk([UInt8])
    case end
    case failed(String)
    /// Nothing came within the time allowed.
    case timedOut
}

/// Reads a message's byte stream in its own task and hands the test one chunk at a time, with a bound
/// on each wait (a stream that never delivers makes the test fail instead of hang).
actor StreamReading {
    nonisolated let opcode: Opcode
    private var items: [StreamItem] = []
    private var waiter: CheckedContinuation<Void, Never>?

    private init(opcode: Opcode) {
        self.opcode = opcode
    }

    /// Waits (at most 10 s) for `receiveStream()` to give a stream, and starts reading it.
    static func start(_ receiving: Task<MessageByteStream?, any Error>) async throws -> StreamReading {
        let stream = await valueOf(Task { try? await receiving.value }, within: .seconds(10))
        guard let stream, let stream else { throw RawPeerError("receiveStream() gave no stream") }
        let reading = StreamReading(opcode: stream.opcode)
        Task {
            do {
                for try await chunk in stream {
                    await reading.add(.chunk(Array(chunk.readableBytesView)))
                }
                await reading.add(.end)
            } catch {
                await reading.add(.failed("\(error)"))
            }
        }
        return reading
    }

    private func add(_ item: StreamItem) {
        items.append(item)
        waiter?.resume()
        waiter = nil
    }

    private func waitForItem() async {
        guard items.isEmpty else { return }
        await withCheckedContinuation { waiter = $0 }
    }

    private func take() -> StreamItem? {
        items.isEmpty ? nil : items.removeFirst()
    }

    /// The next item, `.timedOut` after 10 s without one.
    func next() async -> StreamItem {
        if let item = take() { return item }
        _ = await valueOf(Task { await self.waitForItem() }, within: .seconds(10))
        return take() ?? .timedOut
    }

    /// The bytes of every chunk up to the end of the message.
    func rest() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            switch await next() {
            case .chunk(let chunk): bytes += chunk
            case .end: return bytes
            case .failed(let failure): throw RawPeerError("the stream failed: \(failure)")
            case .timedOut: throw RawPeerError("the stream stalled after \(bytes.count) bytes")
            }
        }
    }
}
