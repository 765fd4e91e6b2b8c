import Foundation
import Testing
import WSTapTestSupport

/// `wstap proxy` without `--upstream` (forward mode) and `wstap ca`, run as a user would, with curl and a
/// python3 peer on 127.0.0.1.
@Suite struct ForwardProxyCommandTests {
    static let peers = PeerScripts.folder(of: "WSTapNetworkTests")

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wstap-\(name)-\(UUID().uuidString)").path
    }

    // Both tests wait on child processes for seconds: they run on threads of their own, not on the few
    // threads Swift concurrency runs every test's tasks on.
    @Test func caExportMakesTheCAOnceAndWritesItsCertificate() async throws {
        try await offThePool { try ForwardProxyCommandTests().caExport() }
    }

    @Test func forwardProxyRelaysPagesAndTapsWebSockets() async throws {
        try await offThePool { try ForwardProxyCommandTests().forwardProxy() }
    }

    func caExport() throws {
        let home = temporaryPath("home")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let exported = home + "/exported.pem"
        let first = try PeerProcess.run(
            "/usr/bin/env", ["WSTAP_HOME=\(home)", ToolRunner.wstapPath, "ca", "export", exported])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("made a new CA in \(home)/ca"))
        let certificate = try String(contentsOfFile: exported, encoding: .utf8)
        #expect(certificate.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        let keyPath = home + "/ca/wstap-ca-key.pem"
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // The certificate is what openssl calls a CA.
        let text = try PeerProcess.run("/usr/bin/openssl", ["x509", "-in", exported, "-noout", "-text"])
        #expect(text.text.contains("CA:TRUE"))

        let second = try PeerProcess.run(
            "/usr/bin/env", ["WSTAP_HOME=\(home)", ToolRunner.wstapPath, "ca", "export", "-"])
        #expect(second.status == 0)
        #expect(!second.stderr.contains("made a new CA"))
        #expect(second.text == certificate)

        let path = try ToolRunner.wstap(["ca", "path", "--ca-dir", home + "/ca"])
        #expect(path.text == home + "/ca/wstap-ca.pem\n")

        let unwritable = try ToolRunner.wstap(["ca", "export", "--ca-dir", home + "/ca", home + "/missing/dir/ca.pem"])
        #expect(unwritable.status != 0)
        #expect(unwritable.stderr.contains("cannot write"))
    }

    func forwardProxy() throws {
        let caDirectory = temporaryPath("ca")
        defer { try? FileManager.default.removeItem(atPath: caDirectory) }
        let server = try SignalableProcess(
            "/usr/bin/python3", [Self.peers.appendingPathComponent("mirror_server.py").path])
        defer { server.terminate() }
        let serverPort = try #require(Int(server.firstLine()), "the mirror server did not start")
        let proxy = try SignalableProcess(
            ToolRunner.wstapPath, ["proxy", "--listen", "127.0.0.1:0", "--ca-dir", caDirectory, "--jsonl"])
        defer { proxy.terminate() }
        let banner = proxy.firstLine()
        #expect(banner.contains(#""event":"listening""#), "\(banner) \(proxy.standardError)")
        #expect(banner.contains(#""mode":"forward-proxy""#), "\(banner)")
        #expect(banner.contains(#""caCertificate":""#), "\(banner)")
        let proxyPort = try #require(ToolRunner.listeningPort(banner), "\(banner)")

        let page = try PeerProcess.run(
            "/usr/bin/curl", ["-sS", "--proxy", "http://127.0.0.1:\(proxyPort)", "http://127.0.0.1:\(serverPort)/"])
        #expect(page.status == 0, "\(page.stderr)")
        #expect(page.text == "GET / HTTP/1.1\nHost: 127.0.0.1:\(serverPort)\n")

        let client = try PeerProcess.run(
            "/usr/bin/python3",
            [
                Self.peers.appendingPathComponent("forward_proxy_client.py").path, "raw", "\(proxyPort)",
                "127.0.0.1", "\(serverPort)", "absolute",
            ])
        #expect(client.status == 0, "\(client.text) \(client.stderr)")
        #expect(client.text.contains("mirrored 70061 bytes exactly"))

        var log = ""
        for _ in 0..<3000 where !log.contains("\"event\":\"close\"") {
            usleep(20_000)
            log = proxy.standardOutput
        }
        #expect(log.contains("\"event\":\"note\""), "\(log)")
        #expect(log.contains("ws://127.0.0.1:\(serverPort)/"), "\(log)")
        #expect(log.split(separator: "\n").filter { $0.contains("\"event\":\"frame\"") }.count == 10, "\(log)")
        #expect(log.contains("\"event\":\"close\""), "\(log)")
    }
}
