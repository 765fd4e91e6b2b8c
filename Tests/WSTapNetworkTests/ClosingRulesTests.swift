import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapTestSupport

@testable import WSTapNetwork

/// How closing looks to a library user (the original library's `ws-close!` and `ws-conn-closed?`), against
/// python3-websockets.
@Suite(.serialized) struct ClosingRulesTests {
    /// The manual: an end-of-file "does not separate the end of the message being read from the end of the
    /// connection itself. Use ws-conn-closed? to disambiguate." So once `receive()` returned `nil` because
    /// the peer closed, `isClosed` is true, every time.
    @Test func isClosedOnceReceiveReturnedNil() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await InteropPeer.pythonWebsockets.startServer()
        defer { server.process.terminate() }
        var stillOpen = 0
        for _ in 0..<30 {
            let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"))
            try await connection.send("close:4003:asked to close")
            #expect(await connection.receive() == nil)
            if !connection.isClosed { stillOpen += 1 }
            #expect(await connection.closeOutcome().receivedCode == CloseCode(4003))
        }
        #expect(stillOpen == 0, "isClosed was false after receive() returned nil on \(stillOpen) of 30 connections")
    }

    /// Sending once the peer has closed fails with the closing error, not a handshake failure.
    @Test func sendingAfterThePeerClosedThrowsTheClosingError() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await InteropPeer.pythonWebsockets.startServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"))
        try await connection.send("close:4003:asked to close")
        #expect(await connection.receive() == nil)
        await #expect(throws: ConnectionError.closing) { try await connection.send("too late") }
        await #expect(throws: ConnectionError.closing) { try await connection.send(bytes: [1]) }
        await #expect(throws: ConnectionError.closing) { try await connection.ping() }
    }

    /// Codes an endpoint may not send are refused by `close` before anything goes out; the connection stays
    /// open and closes afterwards with a code that is allowed.
    @Test func closeRefusesCodesNotAllowedOnTheWire() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        let (server, port) = try await InteropPeer.pythonWebsockets.startServer()
        defer { server.process.terminate() }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"))
        for code: UInt16 in [1005, 1006, 1015, 999, 1004, 2000, 5000] {
            await #expect(throws: ConnectionError.closeCodeNotAllowed(CloseCode(code))) {
                try await connection.close(code: CloseCode(code), reason: "refused")
            }
        }
        #expect(!connection.isClosed)
        try await connection.send("still open")
        #expect(await connection.receive()?.text == "still open")
        let outcome = try await connection.close(code: CloseCode(4000), reason: "done")
        #expect(outcome.sentCode == CloseCode(4000))
        #expect(outcome.receivedCode == CloseCode(4000))
        #expect(outcome.wasClean)
    }

    /// The manual's hello-world server (its handler sends one message and never reads): a client's close
    /// is answered at once, since nothing is left to deliver. The grace period is made far longer than
    /// python's wait for the answer, so a server that waited for it would not answer in time.
    @Test func aCloseIsAnsweredAtOnceWhenNothingIsLeftToDeliver() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        var options = ServerOptions(closeTimeout: .seconds(120))
        options.answerGrace = .seconds(120)
        let server = try await WebSocketServer.start(port: 0, options: options) { connection in
            try? await connection.send("Hello world!")
        }
        defer { Task { try? await server.stop() } }
        let client = try PeerProcess.python(
            PeerScripts.script("websockets_hello_client.py", of: "WSTapNetworkTests"),
            ["ws://127.0.0.1:\(server.port)/"])
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text)\n\(result.stderr)")
        #expect(result.text == "received Hello world!\nclosed 1000\n", "\(result.text)")
    }

    /// A handler that answers each message, then reads the next, still gets its answer out before the
    /// close that came right after the message.
    @Test func aCloseRightAfterAMessageWaitsForTheAnswer() async throws {
        try #require(
            await InteropPeer.pythonWebsockets.isInstalled, "python3-websockets is missing: run scripts/test.sh")
        var options = ServerOptions(closeTimeout: .seconds(120))
        options.answerGrace = .seconds(120)
        let server = try await WebSocketServer.start(port: 0, options: options, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let peer = try PeerProcess(
            PeerProcess.python,
            [
                "-c",
                """
                import asyncio, sys, websockets
                async def main():
                    async with websockets.connect(sys.argv[1], close_timeout=20) as ws:
                        await ws.send("answer me")
                        await ws.close()
                        print("echo", await ws.recv())
                asyncio.run(main())
                """,
                "ws://127.0.0.1:\(server.port)/",
            ])
        let result = await peer.finished()
        #expect(result.text == "echo answer me\n", "\(result.text)\n\(result.stderr)")
    }

    /// hybi-00 too: a message and a bad frame in one write, to our echo server; the echo comes back before
    /// the server's close.
    @Test func hybi00MessagesBeforeAViolationAreEchoedFirst() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), options: ClientOptions(variant: .hybi00))
        // "hello", then a frame whose type byte (0x01) hybi-00 does not know, then "late".
        try await connection.writeRaw(
            [0x00] + Array("hello".utf8) + [0xFF, 0x01, 0x78, 0xFF, 0x00] + Array("late".utf8) + [0xFF])
        #expect(await connection.receive()?.text == "hello")
        #expect(await connection.receive() == nil)
        #expect(connection.isClosed)
    }
}
