import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapMutation
import WSTapNetwork
import WSTapTestSupport

/// Streaming (the original library's input-port `ws-send!` and `ws-recv #:stream? #t`) with
/// permessage-deflate on, against python3-websockets' deflating echo server: the streaming promises hold
/// for compressed messages too.
@Suite(.serialized) struct DeflateStreamingTests {
    static let bufferSize = 16384

    /// Keeps every byte our client writes once the connection is open.
    final class SentBytes: ConnectionWireObserver {
        private let bytes = NIOLockedValueBox<[UInt8]>([])
        func received(_ bytes: ByteBuffer) {}
        func sent(_ buffer: ByteBuffer) { bytes.withLockedValue { $0 += buffer.readableBytesView } }
        func closed(_ outcome: CloseOutcome) {}
        /// The frames written, decoded.
        var frames: [DecodedFrame] {
            var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: .client))
            decoder.append(ByteBuffer(bytes: bytes.withLockedValue { $0 }))
            var frames: [DecodedFrame] = []
            while let frame = decoder.nextFrame() { frames.append(frame) }
            return frames
        }
    }

    /// 300,000 bytes that deflate cannot shrink (so compressed pieces come out larger than what went in).
    static let payload: [UInt8] = {
        var generator = FuzzRandom(seed: 20)
        return (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }()

    @Test func streamedSendsKeepTheirFramesWithinTheBufferSize() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await SendRulesTests.startDeflatingServer()
        defer { server.process.terminate() }
        let observer = SentBytes()
        var options = ClientOptions(offersCompression: true, streamBufferSize: Self.bufferSize)
        options.wireObserver = { _ in observer }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"), options: options)
        #expect(connection.info.compression != nil)
        let pieces = stride(from: 0, to: Self.payload.count, by: 10_000).map {
            ByteBuffer(bytes: Self.payload[$0..<min($0 + 10_000, Self.payload.count)])
        }
        let chunks = AsyncStream<ByteBuffer> { continuation in
            for piece in pieces { continuation.yield(piece) }
            continuation.finish()
        }
        try await connection.send(stream: chunks, opcode: .binary)
        #expect(await connection.receive().map { Array($0.data.readableBytesView) } == Self.payload)
        let frames = observer.frames.filter { $0.header.opcode.isData }
        #expect(frames.count > 1)
        #expect(
            frames.allSatisfy { $0.header.payloadLength <= UInt64(Self.bufferSize) },
            "\(frames.map(\.header.payloadLength))")
        #expect(frames.first.map { $0.header.payloadLength > 0 } == true, "the first fragment is empty")
        #expect(frames.first?.header.reservedBits == .rsv1)
        #expect(frames.dropFirst().allSatisfy { $0.header.opcode == .continuation && $0.header.reservedBits == [] })
        #expect(await connection.close().wasClean)
    }

    @Test func streamedReceivesComeInflatedInChunks() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await SendRulesTests.startDeflatingServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"),
            options: ClientOptions(offersCompression: true, streamBufferSize: Self.bufferSize))
        // Text that deflates to a few kilobytes: python sends it back as one small compressed frame.
        let text = String(repeating: "streamed and inflated in chunks, ", count: 9_000)
        for _ in 0..<2 {
            try await connection.send(text)
            let stream = try #require(try await connection.receiveStream())
            #expect(stream.opcode == .text)
            var sizes: [Int] = []
            var received: [UInt8] = []
            for try await chunk in stream {
                sizes.append(chunk.readableBytes)
                received += chunk.readableBytesView
            }
            #expect(received == Array(text.utf8))
            #expect(sizes.count >= text.utf8.count / Self.bufferSize, "\(sizes)")
            #expect(sizes.allSatisfy { $0 <= Self.bufferSize }, "\(sizes)")
        }
        // Whole messages still come whole after streamed ones.
        try await connection.send("whole")
        #expect(await connection.receive()?.text == "whole")
        #expect(await connection.close().wasClean)
    }
}
