import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapReplay
import WSTapTestSupport

/// Replay as the client over TLS (`wss://`), against our server with a certificate made by openssl.
@Suite(.serialized) struct SecureReplayTests {
    /// A self-signed certificate and key for 127.0.0.1, in a fresh folder.
    /// (openssl runs on a thread of its own, off the concurrency pool the endpoints under test run on.)
    static func makeCertificate() async throws -> (certificate: String, key: String, folder: String) {
        try await offThePool {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tls-\(UUID().uuidString)")
                .path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let certificate = folder + "/cert.pem"
            let key = folder + "/key.pem"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try PeerProcess.launch(process)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw PeerProcess.Failure(description: "openssl could not make a certificate")
            }
            return (certificate, key, folder)
        }
    }

    @Test func clientReplayOverTLSPassesTheCheck() async throws {
        let (server, port) = try await PeerProcess.pythonServer("echo")
        defer { server.stop() }
        let events = try await RecordedSession.record(
            upstream: "ws://127.0.0.1:\(port)/", scenario: RecordedSession.conversation)
        let script = try ReplayScript.select(ConnectionTranscript.group(events), connection: nil)

        let (certificate, key, folder) = try await Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let secure = try await WebSocketServer.start(
            port: 0,
            options: ServerOptions(tls: ServerTLSOptions(certificateChainFile: certificate, privateKeyFile: key)),
            handler: WebSocketServer.echo)
        defer { Task { try? await secure.stop() } }
        let result = try await ClientReplayer.run(
            script,
            options: ClientReplayOptions(
                target: try WebSocketURL("wss://127.0.0.1:\(secure.port)"), speed: nil, waitsForReplies: true,
                replyTimeout: .seconds(30), tls: ClientTLSOptions(extraCAFile: certificate)))
        #expect(result.replies.filter(\.isData).count == 4)
        let differences = MessageComparison.differences(expected: script.serverMessages, actual: result.replies)
        #expect(differences.isEmpty, "\(differences)")

        // Without trusting the certificate, the replay fails with an error that says why.
        do {
            _ = try await ClientReplayer.run(
                script,
                options: ClientReplayOptions(
                    target: try WebSocketURL("wss://127.0.0.1:\(secure.port)"), speed: nil, replyTimeout: .seconds(30)))
            Issue.record("a replay trusted an unknown certificate")
        } catch {
            #expect("\(error)".lowercased().contains("certificate"), "\(error)")
        }
    }
}
