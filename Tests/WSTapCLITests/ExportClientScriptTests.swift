import Foundation
import Testing
import WSTapTestSupport

/// `wstap export --as`: a recording of `wstap connect` (a header, a subprotocol, text and binary messages)
/// becomes a Python script python3-websockets runs, a node-ws script node runs, and a curl command `wstap
/// connect` runs in curl's place; each against a python3-websockets server that reports the handshake it got.
@Suite(.serialized) struct ExportClientScriptTests {
    static let messages = "hello\nhex:00ff10\nit's \"quoted\"\n"

    func script(_ kind: String, port: Int) throws -> String {
        let file = try RepeatCommandTests.record(port: port, lines: Self.messages)
        defer {
            try? FileManager.default.removeItem(atPath: file)
            try? FileManager.default.removeItem(atPath: file + ".payloads")
        }
        let result = try ToolRunner.wstap(["export", file, "--as", kind])
        #expect(result.status == 0, "\(result.stderr)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wstap-export-\(UUID().uuidString).\(kind)"
        ).path
        try result.text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The server's report of the handshake: the recorded path, header and subprotocol.
    func expectRecordedHandshake(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let greeting = output.split(separator: "\n").first ?? ""
        #expect(greeting.contains("\"path\": \"/room?x=1\""), "\(output)", sourceLocation: sourceLocation)
        #expect(greeting.contains("[\"X-Token\", \"abc\"]"), "\(output)", sourceLocation: sourceLocation)
        #expect(
            greeting.contains("\"subprotocol\": \"graphql-transport-ws\""), "\(output)", sourceLocation: sourceLocation)
    }

    @Test func pythonRunsWithPython3Websockets() async throws {
        try await offThePool {
            let (server, port) = try RepeatCommandTests.reportServer()
            defer { server.terminate() }
            let path = try script("python", port: port)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let run = try PeerProcess.run("/usr/bin/python3", [path])
            #expect(run.status == 0, "\(run.stderr)")
            expectRecordedHandshake(run.text)
            #expect(run.text.split(separator: "\n").dropFirst() == ["hello", "hex:00ff10", "it's \"quoted\""])
        }
    }

    @Test func javaScriptRunsWithNodeWs() async throws {
        try await offThePool {
            let (server, port) = try RepeatCommandTests.reportServer()
            defer { server.terminate() }
            let path = try script("js", port: port)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let run = try PeerProcess.run("/usr/bin/node", [path], environment: PeerProcess.nodeEnvironment)
            #expect(run.status == 0, "\(run.stderr)")
            expectRecordedHandshake(run.text)
            #expect(run.text.split(separator: "\n").dropFirst() == ["hello", "hex:00ff10", "it's \"quoted\""])
        }
    }

    @Test func curlRunsAsWstapConnectAndWebsocatIsWritten() async throws {
        try await offThePool {
            let (server, port) = try RepeatCommandTests.reportServer()
            defer { server.terminate() }
            let path = try script("curl", port: port)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("#   hex:00ff10"), "the messages it cannot send are named: \(text)")
            let bash = "curl() { '\(ToolRunner.wstapPath)' connect --no-tui \"$@\"; }; source '\(path)'"
            // Two lines: connect closes once as many messages came back as it sent, and the server's first message
            // is its report, so with one line the echo could still be on its way; with two, one echo has come.
            let run = try PeerProcess.run("/bin/bash", ["-c", bash], input: Data("over curl\nover curl\n".utf8))
            #expect(run.status == 0, "\(run.stderr)")
            expectRecordedHandshake(run.text)
            #expect(run.text.contains("\nover curl"), "\(run.text)")

            let websocat = try script("websocat", port: port)
            defer { try? FileManager.default.removeItem(atPath: websocat) }
            let line = try String(contentsOfFile: websocat, encoding: .utf8)
            #expect(
                line.contains(
                    "printf '%s\\n' 'hello' 'it'\\''s \"quoted\"' | websocat -H 'X-Token: abc' "
                        + "--protocol 'graphql-transport-ws' 'ws://127.0.0.1:\(port)/room?x=1'"), "\(line)")
        }
    }
}
