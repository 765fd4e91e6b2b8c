import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// wss:// with certificates made by openssl, between our client and our server (peers: InteropTests).
@Suite(.serialized) struct TLSTests {
    @Test func ourClientAndServerOverTLS() async throws {
        let certificates = try await TestCertificates.loaded()
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
}
