import Foundation
import NIOCore
import NIOPosix
import Testing
import WSTapCore
import WSTapNetwork
import WSTapProxy

/// An upstream that resets its TCP connection mid-stream: the proxy resets the client's too, and says so.
@Suite struct ResetPropagationTests {
    /// Answers one upgrade, sends a text frame, then resets the connection (SO_LINGER 0).
    final class ResettingServer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let request = String(buffer: unwrapInboundIn(data))
            guard
                let keyLine = request.split(separator: "\r\n").first(where: {
                    $0.lowercased().hasPrefix("sec-websocket-key:")
                })
            else { return }
            let key = keyLine.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
            let response =
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(RFC6455Handshake.acceptValue(forKey: key))\r\n\r\n"
            var buffer = context.channel.allocator.buffer(string: response)
            buffer.writeBytes([0x81, 0x03] + Array("bye".utf8))
            let channel = context.channel
            guard let options = channel as? any SocketOptionProvider else {
                channel.close(promise: nil)
                return
            }
            context.writeAndFlush(wrapOutboundOut(buffer)).flatMap {
                options.setSoLinger(linger(l_onoff: 1, l_linger: 0))
            }.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    @Test func anUpstreamResetResetsTheClient() async throws {
        let setup = try await RawUpstream { ResettingServer() }
        let log = setup.log
        let proxy = setup.proxy
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/"))
        #expect(await connection.receive()?.text == "bye")
        #expect(await connection.receive() == nil)
        let outcome = await connection.closeOutcome()
        #expect(!outcome.wasClean)
        #expect("\(outcome)".lowercased().contains("reset"), "\(outcome)")
        try await InterceptTests.eventually {
            log.all.contains { if case .connectionClosed = $0 { return true } else { return false } }
        }
        let closed = log.all.compactMap { if case .connectionClosed(let c) = $0 { return c } else { return nil } }
        #expect(closed.first?.error == "upstream reset the connection")
        #expect(closed.first?.closedBy == .server)
        await setup.stop()
    }
}
