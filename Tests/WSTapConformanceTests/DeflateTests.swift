import NIOCore
import Testing
import WSTapCompression
import WSTapConformance
import WSTapCore

/// Autobahn 12.x and 13.x: permessage-deflate. The raw peer compresses messages of many sizes (whole and
/// in fragments) under each set of negotiated parameters; our endpoint inflates them, echoes them, and the
/// raw peer inflates the echo with the agreed window (so a window larger than agreed, or a context kept when
/// it must not be, shows up as corrupt data).
@Suite(.serialized) struct DeflateTests {
    /// Autobahn's parameter sets: the client's offer and a raw server's answer.
    static let negotiations: [(String, DeflateNegotiation)] = [
        ("13.1 defaults", DeflateNegotiation(offer: .init(), response: .init())),
        (
            "13.2 client_no_context_takeover",
            DeflateNegotiation(
                offer: .init(clientNoContextTakeover: true), response: .init(clientNoContextTakeover: true))
        ),
        (
            "13.3 client_max_window_bits=9",
            DeflateNegotiation(
                offer: .init(clientMaxWindowBits: .supported), response: .init(clientMaxWindowBits: .limit(9)))
        ),
        (
            "13.4 client_max_window_bits=15",
            DeflateNegotiation(
                offer: .init(clientMaxWindowBits: .supported), response: .init(clientMaxWindowBits: .limit(15)))
        ),
        (
            "13.5 client_no_context_takeover, client_max_window_bits=9",
            DeflateNegotiation(
                offer: .init(clientNoContextTakeover: true, clientMaxWindowBits: .supported),
                response: .init(clientNoContextTakeover: true, clientMaxWindowBits: .limit(9)))
        ),
        (
            "13.6 server_no_context_takeover, server_max_window_bits=9",
            DeflateNegotiation(
                offer: .init(serverNoContextTakeover: true, serverMaxWindowBits: 9),
                response: .init(serverNoContextTakeover: true, serverMaxWindowBits: 9))
        ),
        (
            "13.7 every parameter",
            DeflateNegotiation(
                offer: .init(
                    serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10,
                    clientMaxWindowBits: .supported),
                response: .init(
                    serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10,
                    clientMaxWindowBits: .limit(11)))
        ),
    ]

    /// Autobahn 12.x message sizes.
    static let sizes = [16, 64, 256, 1024, 4096, 16384, 65536, 131072]

    /// Messages the raw peer sends for each size: the text twice (a kept context makes the repeat cheaper),
    /// binary, and the text in fragments of 100 compressed bytes. Small ones for every size, the big ones
    /// (which cost the most in a debug build) once per negotiation.

    @Test(arguments: Side.allCases, 0..<negotiations.count)
    func compressedMessagesOfEverySizeEchoed(side: Side, negotiation: Int) async throws {
        let (name, deflate) = Self.negotiations[negotiation]
        let session = try await ConformanceSession.open(side, deflate: deflate)
        let agreed = try #require(session.compression, "\(side) \(name): permessage-deflate was not agreed")
        let peerCompressor = try PerMessageDeflateCompressor(agreed: agreed, sender: side.peerRole)
        let peerDecompressor = try PerMessageDeflateDecompressor(
            agreed: agreed, sender: side.endpointRole, maxMessageSize: 1 << 20)
        var messages: [(Opcode, [UInt8], fragment: Int?)] = []
        for size in Self.sizes {
            for _ in 0..<2 { messages.append((.text, Payloads.ascii(size), nil)) }
            messages.append((.binary, Payloads.binary(size), nil))
            messages.append((.text, Payloads.ascii(size), 100))
        }
        for (index, (opcode, payload, fragment)) in messages.enumerated() {
            let compressed = Array(try peerCompressor.compress(ByteBuffer(bytes: payload)).readableBytesView)
            var frames: [FrameSpec] = []
            let pieceSize = fragment ?? max(1, compressed.count)
            var offset = 0
            repeat {
                let end = min(compressed.count, offset + pieceSize)
                frames.append(
                    FrameSpec(
                        fin: end == compressed.count, reservedBits: offset == 0 ? .rsv1 : [],
                        opcode: offset == 0 ? opcode : .continuation, payload: Array(compressed[offset..<end])))
                offset = end
            } while offset < compressed.count
            await session.peer.send(frames)
            let echo = try await Self.readMessage(from: session.peer, inflating: peerDecompressor)
            #expect(echo.opcode == opcode, "\(side) \(name) message \(index)")
            #expect(echo.compressed, "\(side) \(name) message \(index): the echo is not compressed")
            #expect(echo.payload == payload, "\(side) \(name) message \(index): \(payload.count) bytes sent")
        }
        // The raw peer closes; our endpoint answers (uncompressed: control frames never are).
        await session.peer.send(.close(code: .normalClosure))
        guard case .frame(let close) = await session.peer.nextFrame() else {
            Issue.record("\(side) \(name): no answer to the close")
            await session.finish()
            return
        }
        #expect(close.header.opcode == .close)
        #expect(close.header.reservedBits.isEmpty)
        await session.finish()
    }

    /// Reads the frames of one data message the endpoint sent and inflates it.
    static func readMessage(
        from peer: RawPeer, inflating decompressor: PerMessageDeflateDecompressor
    ) async throws -> (opcode: Opcode, payload: [UInt8], compressed: Bool) {
        var opcode: Opcode? = nil
        var compressed = false
        var payload: [UInt8] = []
        while true {
            guard case .frame(let frame) = await peer.nextFrame(timeout: .seconds(20)) else {
                throw RawPeerError("no echo")
            }
            guard frame.header.opcode.isData else { continue }
            if opcode == nil {
                opcode = frame.header.opcode
                compressed = frame.header.reservedBits == .rsv1
            }
            payload +=
                compressed
                ? Array(try decompressor.decompressFragment(frame.payload, isFinal: frame.header.fin).readableBytesView)
                : Array(frame.payload.readableBytesView)
            if frame.header.fin { return (opcode ?? .text, payload, compressed) }
        }
    }
}
