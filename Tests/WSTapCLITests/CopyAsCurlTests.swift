import Foundation
import Testing
import WSTapTestSupport

/// DevTools' "Copy as cURL" with `curl` replaced by `wstap connect`: Chromium's command lines for a
/// WebSocket request (kept in Fixtures/, as Chromium writes them) run through bash against a python3-websockets
/// server that answers with the handshake it received. wstap sends the browser's headers, its own handshake
/// headers once (a fresh key), the cookies, and offers permessage-deflate as the browser did.
@Suite struct CopyAsCurlTests {
    static let server = PeerScripts.script("handshake_report_server.py", of: "WSTapCLITests")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// What the server received: its first message on every connection.
    struct Report: Decodable {
        var path: String
        var headers: [[String]]
        var extensions: [String]
        var subprotocol: String?

        /// The values of a header, ASCII case ignored.
        func values(_ name: String) -> [String] {
            headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
        }
    }

    /// The server (plain and TLS) and its two ports.
    static func startServer() throws -> (SignalableProcess, plain: Int, tls: Int) {
        guard case .success(let certificates) = TestCertificates.shared else {
            throw PeerProcess.Failure(description: "no test certificates: \(TestCertificates.shared)")
        }
        let server = try SignalableProcess(
            PeerProcess.python, [Self.server.path, certificates.certificateFile, certificates.keyFile])
        let line = server.firstLine()
        let ports = line.split(separator: " ").compactMap { Int($0) }
        guard ports.count == 2 else {
            throw PeerProcess.Failure(description: "the server printed '\(line)': \(server.standardError)")
        }
        return (server, ports[0], ports[1])
    }

    /// A fixture as a bash command: `curl` becomes `wstap connect`, the URL's host becomes the server's
    /// (`localhost`, which the test certificate names), and `--ca` trusts the test CA.
    static func command(_ fixture: String, plain: Int, tls: Int) throws -> String {
        let text = try String(contentsOf: fixtures.appendingPathComponent(fixture), encoding: .utf8)
        guard text.hasPrefix("curl '"), case .success(let certificates) = TestCertificates.shared else {
            throw PeerProcess.Failure(description: "\(fixture) does not start with curl '")
        }
        let retargeted = text.replacing(/^curl '(wss?):\/\/[^\/']+/) { match in
            "'\(ToolRunner.wstapPath)' connect '\(match.1)://localhost:\(match.1 == "wss" ? tls : plain)"
        }
        return retargeted.trimmingCharacters(in: .whitespacesAndNewlines) + " --ca '\(certificates.caFile)'"
    }

    /// Runs a fixture: reads the server's report, sends `hello` and waits for its echo, ends standard input.
    static func run(_ fixture: String, plain: Int, tls: Int) throws -> (Report, SignalableProcess) {
        let client = try SignalableProcess(
            "/bin/bash", ["-c", try command(fixture, plain: plain, tls: tls)], keepingStandardInputOpen: true)
        let first = client.firstLine()
        let report = try JSONDecoder().decode(Report.self, from: Data(first.utf8))
        client.writeToStandardInput("hello\n")
        let echoed = client.waitForOutput { $0.hasSuffix("\nhello\n") }
        #expect(echoed.met, "\(echoed.output) \(client.standardError)")
        client.closeStandardInput()
        #expect(client.waitForExit(within: 60) == 0, "\(fixture): \(client.standardError)")
        return (report, client)
    }

    /// Each of wstap's handshake headers exactly once, with wstap's key rather than the browser's.
    static func expectOwnHandshakeHeaders(_ report: Report, browserKey: String) {
        for name in ["Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Host"] {
            #expect(report.values(name).count == 1, "\(name): \(report.headers)")
        }
        #expect(report.values("Sec-WebSocket-Key") != [browserKey])
        #expect(report.values("Sec-WebSocket-Version") == ["13"])
    }

    @Test func chromiumsCopiedCommandsConnectAsTheBrowserDid() async throws {
        try await offThePool {
            let (server, plain, tls) = try Self.startServer()
            defer { server.terminate() }

            let (modern, _) = try Self.run("chromium-131-wss-cookies.sh", plain: plain, tls: tls)
            Self.expectOwnHandshakeHeaders(modern, browserKey: "6fV9yJ2mSUeDPq7ZMl8G2Q==")
            #expect(modern.path == "/socket?room=lobby&v=2")
            #expect(modern.values("Cookie") == ["session=4f1c2a9e77d0; theme=dark"])
            #expect(modern.values("Origin") == ["https://chat.example.com"])
            #expect(modern.values("Pragma") == ["no-cache"])
            #expect(modern.values("Accept-Language") == ["en-GB,en-US;q=0.9,en;q=0.8"])
            #expect(modern.values("User-Agent").first?.hasSuffix("Chrome/131.0.0.0 Safari/537.36") == true)
            #expect(modern.values("Sec-WebSocket-Extensions") == ["permessage-deflate; client_max_window_bits"])
            #expect(modern.extensions == ["permessage-deflate"])
            #expect(modern.values("Host") == ["localhost:\(tls)"])

            let (old, _) = try Self.run("chromium-79-wss-one-line.sh", plain: plain, tls: tls)
            Self.expectOwnHandshakeHeaders(old, browserKey: "m8x1Hqs3aQxB9mT5yKQ7Jw==")
            #expect(old.path == "/realtime")
            #expect(old.values("Cookie") == ["_ga=GA1.2.1234567890.1580000000; sid=s%3Aabc.def"])
            #expect(old.values("Accept-Encoding") == ["gzip, deflate, br"])
            #expect(old.extensions == ["permessage-deflate"])

            let (local, _) = try Self.run("chromium-120-ws-subprotocol-insecure.sh", plain: plain, tls: tls)
            Self.expectOwnHandshakeHeaders(local, browserKey: "q1Yd0b5Vbq7m2Qe6tq0cFw==")
            #expect(local.path == "/graphql")
            #expect(local.subprotocol == "graphql-transport-ws")
            #expect(local.values("Sec-WebSocket-Protocol") == ["graphql-transport-ws"])
            #expect(local.values("Cookie") == ["prefs=it's-me; token=eyJhbGciOiJIUzI1NiJ9"])
            #expect(local.values("Origin") == ["http://localhost:3000"])
        }
    }

    @Test func curlsOtherRequestFlagsBecomeHeaders() async throws {
        try await offThePool {
            let (server, plain, tls) = try Self.startServer()
            defer { server.terminate() }
            let client = try SignalableProcess(
                ToolRunner.wstapPath,
                [
                    "connect", "http://127.0.0.1:\(plain)/auth", "-A", "wstap-test/1", "-e",
                    "https://example.com/;auto",
                    "-u", "alice:s3cret", "-H", "Host: app.example", "-H", "X-Empty;", "-k", "-s", "-i", "-X", "GET",
                    "--http1.1", "--compressed",
                ], keepingStandardInputOpen: true)
            let report = try JSONDecoder().decode(Report.self, from: Data(client.firstLine().utf8))
            client.closeStandardInput()
            #expect(client.waitForExit(within: 60) == 0, "\(client.standardError)")
            #expect(report.values("User-Agent") == ["wstap-test/1"])
            #expect(report.values("Referer") == ["https://example.com/"])
            #expect(report.values("Authorization") == ["Basic YWxpY2U6czNjcmV0"])
            #expect(report.values("Host") == ["app.example"])
            #expect(report.values("X-Empty") == [""])
            #expect(report.extensions.isEmpty, "--compressed is not compression")
            _ = tls
        }
    }

    @Test(arguments: [
        (["--data-raw", "{}"], "connect does not take --data-raw: a WebSocket handshake has no body"),
        (["--http2"], "connect does not take --http2: wstap speaks WebSocket over HTTP/1.1 only"),
        (["--max-time", "5"], "connect does not take --max-time: it is neither an option of connect"),
        (["-X", "POST"], "-X POST: a WebSocket handshake is a GET request"),
        (["-b", "jar.txt"], "-b 'jar.txt': reading cookies from a file is not supported"),
    ])
    func whatCannotBeTakenIsAnErrorNamingIt(_ extra: [String], _ message: String) async throws {
        let result = try await ToolRunner.wstap(["connect", "wss://127.0.0.1:9/"] + extra)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("cannot connect"), "refused before connecting: \(result.stderr)")
    }
}
