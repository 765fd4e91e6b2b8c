import Foundation
import Testing

/// `wstap serve` and `wstap connect` run as processes against each other on loopback.
@Suite struct ServeConnectTests {
    /// Starts `wstap serve` on a free port; returns the process, its output pipe and the port.
    func startServer(_ extra: [String] = []) throws -> (Process, Pipe, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ToolRunner.wstapPath)
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + extra
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self)
        let port = Int(text.split(separator: ":").last ?? "") ?? 0
        #expect(text.hasPrefix("listening on 127.0.0.1:"), "\(text)")
        return (process, output, port)
    }

    @Test func connectSendsLinesAndPrintsReplies() throws {
        let (server, _, port) = try startServer(["--subprotocol", "chat"])
        defer { server.terminate() }
        // One line: the reply arrives before end of input closes the connection.
        let result = try ToolRunner.wstap(
            ["connect", "ws://127.0.0.1:\(port)/path", "--subprotocol", "chat", "-H", "X-Trace: 1"],
            stdin: Data("héllo\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text == "héllo\n")
    }

    @Test func jsonlShowsEveryFrameIncludingTheClose() throws {
        let (server, _, port) = try startServer()
        defer { server.terminate() }
        let result = try ToolRunner.wstap(["connect", "ws://127.0.0.1:\(port)/", "--jsonl"], stdin: Data("x\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.text.split(separator: "\n")
        #expect(lines.last?.contains("\"opcodeName\":\"close\"") == true)
        #expect(lines.last?.contains("\"code\":1000") == true)
    }

    @Test func hybi00InBothFramings() throws {
        for framing in ["old", "new"] {
            let (server, _, port) = try startServer(["--framing", framing])
            defer { server.terminate() }
            let result = try ToolRunner.wstap(
                ["connect", "ws://127.0.0.1:\(port)/", "--variant", "hybi00", "--framing", framing],
                stdin: Data("old times\n".utf8))
            #expect(result.status == 0, "\(framing): \(result.stderr)")
            #expect(result.text == "old times\n", "\(framing)")
        }
    }

    @Test func lostServerMeansNonZeroExit() throws {
        let (server, _, port) = try startServer()
        let client = Process()
        client.executableURL = URL(fileURLWithPath: ToolRunner.wstapPath)
        client.arguments = ["connect", "ws://127.0.0.1:\(port)/"]
        let input = Pipe()
        let errors = Pipe()
        client.standardInput = input
        client.standardOutput = FileHandle.nullDevice
        client.standardError = errors
        try client.run()
        usleep(300_000)
        server.terminate()
        server.waitUntilExit()
        client.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(client.terminationStatus != 0)
        #expect(message.contains("unclean"), "\(message)")
    }

    @Test func badURLsAndRefusedConnections() throws {
        let bad = try ToolRunner.wstap(["connect", "http://example/"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("ws:// or wss://"))
        let refused = try ToolRunner.wstap(["connect", "ws://127.0.0.1:1/"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("cannot connect to 127.0.0.1:1"))
        let header = try ToolRunner.wstap(["connect", "ws://127.0.0.1:1/", "-H", "nocolon"])
        #expect(header.stderr.contains("'Name: value'"))
    }
}
