import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import WSTapCore
import WSTapProxy

/// Raw peers on both ends write streams of deliberately invalid frames through the proxy: every byte
/// arrives unchanged and in order, while the tap reports the violations.
@Suite struct TransparencyTests {
    /// Collects every byte it reads; as a server, answers the first request head with a 101 first.
    final class RawPeer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let received = NIOLockedValueBox(ByteBuffer())
        let upgraded = NIOLockedValueBox(false)
        let answersUpgrade: Bool
        let afterUpgrade: [UInt8]
        /// How long the 101 takes (a slow server).
        let answerDelay: TimeAmount

        init(answersUpgrade: Bool, afterUpgrade: [UInt8] = [], answerDelay: TimeAmount = .zero) {
            self.answersUpgrade = answersUpgrade
            self.afterUpgrade = afterUpgrade
            self.answerDelay = answerDelay
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            received.withLockedValue { _ = $0.writeBuffer(&buffer) }
            guard answersUpgrade, !upgraded.withLockedValue({ $0 }) else { return }
            let text = received.withLockedValue { String(buffer: $0) }
            guard let end = text.range(of: "\r\n\r\n") else { return }
            guard
                let keyLine = text[..<end.lowerBound].split(separator: "\r\n")
                    .first(where: { $0.lowercased().hasPrefix("sec-websocket-key:") })
            else { return }
            let key = keyLine.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
            upgraded.withLockedValue { $0 = true }
            let headLength = text.utf8.distance(from: text.startIndex, to: end.upperBound)
            received.withLockedValue { $0.moveReaderIndex(forwardBy: headLength) }
            var reply = context.channel.allocator.buffer(
                string: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: \(RFC6455Handshake.acceptValue(forKey: key))\r\n\r\n")
            reply.writeBytes(afterUpgrade)
            let channel = context.channel
            channel.eventLoop.scheduleTask(in: answerDelay) { channel.writeAndFlush(reply, promise: nil) }
        }

        var bytes: [UInt8] { received.withLockedValue { Array($0.readableBytesView) } }

        /// What came after the first empty line (the body behind an HTTP head).
        var bytesAfterHead: [UInt8] {
            let all = bytes
            guard let end = all.indices.first(where: { all[$0...].starts(with: [13, 10, 13, 10]) }) else { return [] }
            return Array(all[(end + 4)...])
        }
    }

    /// Invalid frames of many kinds, as a sender of `role` would never write them.
    static func invalidStream(maskedLike role: EndpointRole) throws -> [UInt8] {
        let mask: FrameSpec.Mask = role == .client ? .key(MaskingKey(9, 8, 7, 6)) : .none
        let wrongMask: FrameSpec.Mask = role == .client ? .none : .key(MaskingKey(1, 2, 3, 4))
        let specs: [FrameSpec] = [
            FrameSpec(opcode: Opcode(lowBitsOf: 3), mask: mask, payload: [1, 2, 3]),  // reserved opcode
            FrameSpec(reservedBits: ReservedBits(rawValue: 0x70), opcode: .binary, mask: mask, payload: [4]),
            FrameSpec(opcode: .text, mask: wrongMask, payload: Array("wrong masking".utf8)),
            FrameSpec(opcode: .text, mask: mask, payload: [0xC3, 0x28, 0xFF]),  // not UTF-8
            FrameSpec(fin: false, opcode: .ping, mask: mask, payload: Array(repeating: 7, count: 126)),
            FrameSpec(opcode: .continuation, mask: mask, payload: [5]),  // nothing to continue
            FrameSpec(opcode: .binary, mask: mask, lengthEncoding: .bits64, payload: [6, 6]),  // non-minimal
            FrameSpec(opcode: .close, mask: mask, payload: [0x03]),  // one-byte close body
            FrameSpec(opcode: .close, mask: mask, payload: [0x03, 0xED]),  // 1005 on the wire
            FrameSpec(opcode: .text, mask: mask, payload: Array("after close".utf8)),
        ]
        return try specs.flatMap { try FrameEncoder.encode($0) } + [0x82, 0x7F, 0x80]  // a torn header at the end
    }

    /// A client that writes frames right behind its request, while a slow upstream has not answered
    /// yet: they arrive, after the request, and are tapped.
    @Test func framesSentBeforeTheUpgradeAnswerArrive() async throws {
        let server = RawPeer(answersUpgrade: true, answerDelay: .milliseconds(300))
        let setup = try await RawUpstream { server }
        let client = RawPeer(answersUpgrade: false)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(client) }
            }
            .connect(host: "127.0.0.1", port: setup.proxy.port).get()
        let head =
            "GET /early HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(RFC6455Handshake.makeClientKey())\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try await channel.writeAndFlush(channel.allocator.buffer(string: head))
        try await InterceptTests.eventually { server.upgraded.withLockedValue { $0 } }
        let early = try FrameEncoder.encode(.text("too early", mask: .random))
        try await channel.writeAndFlush(ByteBuffer(bytes: early))
        try await InterceptTests.eventually { server.bytes.count >= early.count }
        #expect(server.bytes == early)
        try await InterceptTests.eventually {
            setup.log.all.contains { event in
                guard case .frame(let seen) = event, case .rfc6455(let frame) = seen.content else { return false }
                return String(buffer: frame.payload) == "too early"
            }
        }
        try await channel.close()
        await setup.stop()
    }

    @Test func invalidFramesPassUnchangedBothWays() async throws {
        let down = try Self.invalidStream(maskedLike: .server)
        let up = try Self.invalidStream(maskedLike: .client)
        let server = RawPeer(answersUpgrade: true, afterUpgrade: down)
        let setup = try await RawUpstream { server }
        let log = setup.log
        let proxy = setup.proxy

        let client = RawPeer(answersUpgrade: false)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(client) }
            }
            .connect(host: "127.0.0.1", port: proxy.port).get()
        let key = RFC6455Handshake.makeClientKey()
        let head =
            "GET /raw HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try await channel.writeAndFlush(channel.allocator.buffer(string: head))
        // Wait for the 101 and the server's frames, then send ours in small, odd-sized writes.
        try await InterceptTests.eventually { client.bytesAfterHead.count >= down.count }
        var offset = 0
        var size = 1
        while offset < up.count {
            let end = min(up.count, offset + size)
            try await channel.writeAndFlush(ByteBuffer(bytes: up[offset..<end]))
            offset = end
            size = size % 13 + 3
        }
        try await InterceptTests.eventually { server.bytes.count >= up.count }
        #expect(server.bytes == up)
        #expect(client.bytesAfterHead == down)
        try await channel.close()

        try await InterceptTests.eventually {
            log.all.contains { if case .connectionClosed = $0 { return true } else { return false } }
        }
        let frames = log.all.compactMap { if case .frame(let f) = $0 { return f } else { return nil } }
        for direction in TrafficDirection.allCases {
            let these = frames.filter { $0.direction == direction }
            #expect(these.count == 10, "\(direction)")
            #expect(these.allSatisfy { !$0.violations.isEmpty }, "\(these.map(\.violations))")
        }
        let leftovers = log.all.filter { if case .leftoverBytes = $0 { return true } else { return false } }
        #expect(leftovers.count == 2)
        await setup.stop()
    }
}
