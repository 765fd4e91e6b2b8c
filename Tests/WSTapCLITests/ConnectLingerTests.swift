import Foundation
import Testing
import WSTapTestSupport

/// `printf 'a\nb\nc\n' | wstap connect URL` prints every reply of a python3-websockets echo server: python
/// answers a close at once and drops the echoes it has not sent yet, so the end of input waits for as many
/// messages as went out (`--linger` seconds at most) before closing.
@Suite struct ConnectLingerTests {
    /// A python3-websockets echo server that takes 50 ms per reply, so the replies are still due when the input
    /// ends.
    static let slowEchoServer = """
        import asyncio, websockets
        async def handler(ws):
            async for message in ws:
                await asyncio.sleep(0.05)
                await ws.send(message)
        async def main():
            async with websockets.serve(handler, "127.0.0.1", 0) as server:
                print(server.sockets[0].getsockname()[1], flush=True)
                await asyncio.Future()
        asyncio.run(main())
        """

    @Test func theEndOfInputWaitsForTheReplies() async throws {
        try await offThePool {
            let server = try PeerProcess("/usr/bin/python3", ["-c", Self.slowEchoServer])
            defer { server.stop() }
            let port = try server.port()
            let lines = (1...20).map { "line \($0)" }
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/", "--no-tui", "--linger", "60"],
                stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.text == lines.joined(separator: "\n") + "\n", "\(result.stderr)")
        }
    }

    @Test func lingerMustBeANumberOfSeconds() async throws {
        try await offThePool {
            let result = try ToolRunner.wstap(["connect", "ws://127.0.0.1:9/", "--linger=-1"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("--linger -1.0: give a number of seconds, 0 or more"), "\(result.stderr)")
        }
    }
}
