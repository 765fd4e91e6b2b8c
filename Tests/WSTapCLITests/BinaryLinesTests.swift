import Foundation
import Testing
import WSTapTestSupport

/// Binary messages in `wstap connect`'s line mode, against a python3-websockets echo server (which sends each
/// message back with its type): `hex:` and `b64:` lines and `--send-file` go out as binary, and binary that
/// comes back is printed as `hex:` even when its bytes are valid UTF-8.
@Suite struct BinaryLinesTests {
    @Test func hexAndBase64LinesAndAFileGoOutAsBinaryAndComeBackMarked() async throws {
        try await offThePool {
            let (server, port) = try ConnectCloseTests.startServer()
            defer { server.terminate() }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-send-\(UUID()).bin")
            try Data("hello".utf8).write(to: file)
            let client = try SignalableProcess(
                ToolRunner.wstapPath,
                ["connect", "ws://127.0.0.1:\(port)/", "--no-tui", "--send-file", file.path],
                keepingStandardInputOpen: true)
            defer { client.terminate() }
            client.writeToStandardInput("hex:de ad be ef\nb64:aGk=\nhex:zz\ntext:hex:as text\nplain\n")
            let echoed = client.waitForOutput { $0.contains("plain\n") }
            #expect(
                echoed.output == "hex:68 65 6c 6c 6f\nhex:de ad be ef\nhex:68 69\nhex:as text\nplain\n",
                "\(client.standardError)")
            #expect(client.standardError.contains("not sent: 'hex:zz': hex input: 'z' at position 1"))
            client.closeStandardInput()
            #expect(client.waitForExit(within: 60) == 0, "\(client.standardError)")
        }
    }

    @Test func aPreambleLineCanBeBinaryToo() async throws {
        try await offThePool {
            let (server, port) = try ConnectCloseTests.startServer()
            defer { server.terminate() }
            let preamble = try ReconnectTests.preambleFile("b64:AAEC\n")
            let client = try SignalableProcess(
                ToolRunner.wstapPath, ["connect", "ws://127.0.0.1:\(port)/", "--no-tui", "--preamble", preamble],
                keepingStandardInputOpen: true)
            defer { client.terminate() }
            #expect(client.waitForOutput { $0.contains("hex:00 01 02\n") }.met, "\(client.standardError)")
        }
    }
}
