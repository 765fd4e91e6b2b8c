import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork

/// wss:// with certificates made by openssl: our client and server, and python3-websockets on either end.
@Suite(.serialized) struct TLSTests {
    @Test func ourClientAndServerOverTLS() async throws {
        let certificates = try TestCertificates.shared.get()
        let server = try await WebSocketServer.start(
            port: 0,
            options: ServerOptions(
                tls: ServerTLSOptions(
                    certificateChainFile: certificates.certificateFile, privateKeyFile: certificates.keyFile)),
            handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let url = try WebSocketURL("wss://127.0.0.1:\(server.port)/secure")
        let trusted = try await WebSocketClient.connect(
            to: url, options: ClientOptions(tls: ClientTLSOptions(extraCAFile: certificates.caFile)))
        try await trusted.send("over TLS")
        #expect(await trusted.receive()?.text == "over TLS")
        #expect(await trusted.close().wasClean)

        // Not trusted: the handshake fails and says why.
        do {
            _ = try await WebSocketClient.connect(to: url)
            Issue.record("connected without trusting the test CA")
        } catch {
            #expect("\(error)".lowercased().contains("certificate"), "\(error)")
        }
        // Explicitly insecure: accepted.
        let insecure = try await WebSocketClient.connect(
            to: url, options: ClientOptions(tls: ClientTLSOptions(insecureSkipVerification: true)))
        #expect(await insecure.close().wasClean)
    }

    @Test func ourClientAgainstTheirTLSServer() async throws {
        try #require(PeerProcess.hasPythonWebsockets, "python3-websockets is missing: run scripts/test.sh")
        let certificates = try TestCertificates.shared.get()
        let peer = try PeerProcess.python(
            "websockets_echo_server.py", [certificates.certificateFile, certificates.keyFile])
        let port = peer.firstLine()
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("wss://localhost:\(port)/"),
            options: ClientOptions(tls: ClientTLSOptions(extraCAFile: certificates.caFile)))
        try await connection.send(bytes: [1, 2, 3])
        #expect(await connection.receive().map { Array($0.data.readableBytesView) } == [1, 2, 3])
        #expect(await connection.close(code: .normalClosure, reason: "tls done").wasClean)
        peer.process.terminate()
    }

    @Test func theirClientAgainstOurTLSServer() async throws {
        try #require(PeerProcess.hasPythonWebsockets, "python3-websockets is missing: run scripts/test.sh")
        let certificates = try TestCertificates.shared.get()
        let server = try await WebSocketServer.start(
            port: 0,
            options: ServerOptions(
                subprotocols: ["superchat"],
                tls: ServerTLSOptions(
                    certificateChainFile: certificates.certificateFile, privateKeyFile: certificates.keyFile)),
            handler: WebSocketServer.echo)
        let peer = try PeerProcess.python(
            "websockets_client.py", ["wss://localhost:\(server.port)/", certificates.caFile])
        let result = peer.finish()
        #expect(result.status == 0, "\(result.output)\n\(result.errors)")
        #expect(result.output.contains("echo binary 16777216"))
        #expect(result.output.contains("closed 4001"))
        try await server.stop()
    }
}
