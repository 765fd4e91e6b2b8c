import Foundation
import Testing
import WSTapTestSupport

/// A reader of wstap's output that goes away (`| head -1`) ends wstap as SIGPIPE ends any filter, quietly: no
/// trap in Foundation's `FileHandle.write`, no backtrace.
@Suite struct BrokenPipeTests {
    /// A python3-websockets server that sends 500 messages to each client, then waits for it to close.
    static let chattyServer = """
        import asyncio, websockets
        async def handler(ws):
            for n in range(500):
                await ws.send("message %d" % n)
            await ws.wait_closed()
        async def main():
            async with websockets.serve(handler, "127.0.0.1", 0) as server:
                print(server.sockets[0].getsockname()[1], flush=True)
                await asyncio.Future()
        asyncio.run(main())
        """

    @Test func connectJSONLinesIntoAReaderThatLeaves() async throws {
        try await offThePool {
            let server = try PeerProcess("/usr/bin/python3", ["-c", Self.chattyServer])
            defer { server.stop() }
            let port = try server.port()
            // Standard input stays open for 5 s, so only the closed pipe can end wstap sooner.
            let script =
                "sleep 5 | '\(ToolRunner.wstapPath)' connect ws://127.0.0.1:\(port)/ --jsonl 2>\"$1\" | head -n 1; "
                + "echo \"status=${PIPESTATUS[1]}\""
            let errors = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wstap-broken-pipe-\(UUID().uuidString).txt"
            )
            .path
            defer { try? FileManager.default.removeItem(atPath: errors) }
            let result = try PeerProcess.run("/bin/bash", ["-c", script, "bash", errors])
            let lines = result.text.split(separator: "\n")
            #expect(lines.first?.hasPrefix("{\"event\":\"open\"") == true, "\(result.text)")
            // 141 = 128 + SIGPIPE, as the shell reports a process that SIGPIPE ended.
            #expect(lines.last == "status=141", "\(result.text)")
            let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            #expect(!stderr.contains("Fatal error") && !stderr.contains("crashed"), "\(stderr)")
        }
    }
}
