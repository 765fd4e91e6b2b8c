import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// TLS against openssl's own programs: `openssl s_client` speaks WebSocket by hand to our wss server,
/// and our client meets `openssl s_server`, which is no WebSocket server (its `-www` mode answers with
/// a status page): our client's certificate checks and its handshake errors are seen against it.
@Suite(.serialized) struct OpenSSLInteropTests {
    static let openssl = "/usr/bin/openssl"

    @Test func openSSLClientTalksToOurWSSServer() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.openssl), "openssl is missing")
        let certificates = try await TestCertificates.loaded()
        let server = try await WebSocketServer.start(
            port: 0,
            options: ServerOptions(
                closeTimeout: .milliseconds(500),
                tls: ServerTLSOptions(
                    certificateChainFile: certificates.certificateFile, privateKeyFile: certificates.keyFile))
        ) { connection in
            // Echo one message, then close: s_client does not answer the close, so the server ends TCP after
            // its close timeout, and s_client exits.
            if let message = await connection.receive() {
                try? await connection.send(message.data, opcode: message.opcode)
            }
            _ = try? await connection.close(code: .normalClosure, reason: "done")
        }
        defer { Task { try? await server.stop() } }

        // The RFC's sample key and a masked "Hello" (RFC 6455 5.7).
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        var request = Array(
            ("GET /chat HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
        request += [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]

        // -quiet: only the peer's bytes on standard output, and the end of input does not end the session
        // (the server's closing of TCP does).
        let (status, output, errors) = try await Self.run(
            [
                "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost", "-quiet",
                "-CAfile", certificates.caFile, "-verify_return_error",
            ], input: request)
        #expect(status == 0, "\(errors)")
        let answer = ByteBuffer(bytes: output)
        let headLength = try #require(try HTTPHeadParser.headLength(in: answer.readableBytesView), "\(errors)")
        let response = try HTTPHeadParser.parseResponse(answer.readableBytesView)
        #expect(response.statusCode == 101)
        #expect(response.headers.first("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: .server))
        decoder.append(answer.getSlice(at: headLength, length: answer.readableBytes - headLength) ?? ByteBuffer())
        let first = decoder.nextFrame()
        let echo = try #require(first)
        #expect(echo.header.opcode == .text, "\(echo.closeBody.map { "\($0)" } ?? "")")
        #expect(!echo.header.isMasked)
        #expect(String(buffer: echo.payload) == "Hello")
        #expect(echo.violations.isEmpty)
        let second = decoder.nextFrame()
        let reply = try #require(second)
        #expect(reply.header.opcode == .close)
        #expect(reply.closeBody?.code == .normalClosure)
        #expect(reply.closeBody?.reason == "done")
        let third = decoder.nextFrame()
        #expect(third == nil)
        #expect(decoder.pendingByteCount == 0)
    }

    @Test func ourClientAgainstOpenSSLServer() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.openssl), "openssl is missing")
        let certificates = try await TestCertificates.loaded()

        // A CA we were not told to trust: the TLS handshake fails, and the error says it is the certificate.
        let untrusted = try await Self.startServer(certificates)
        defer { untrusted.peer.process.terminate() }
        do {
            _ = try await WebSocketClient.connect(to: try WebSocketURL("wss://127.0.0.1:\(untrusted.port)/"))
            Issue.record("connected to a server whose CA is not trusted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("cannot connect") || text.contains("handshake"), "\(text)")
            #expect(text.lowercased().contains("certificate"), "\(text)")
        }

        // Trusted (or insecure): TLS succeeds, and the HTTP answer that is no upgrade is named.
        for tls in [
            ClientTLSOptions(extraCAFile: certificates.caFile), ClientTLSOptions(insecureSkipVerification: true),
        ] {
            let server = try await Self.startServer(certificates)
            defer { server.peer.process.terminate() }
            do {
                _ = try await WebSocketClient.connect(
                    to: try WebSocketURL("wss://127.0.0.1:\(server.port)/"), options: ClientOptions(tls: tls))
                Issue.record("openssl s_server -www was taken for a WebSocket server")
            } catch {
                let text = "\(error)"
                #expect(text.contains("200"), "\(text)")
                #expect(!text.lowercased().contains("certificate"), "\(text)")
            }
        }
    }

    /// `openssl s_server -www` for one connection on a free port.
    static func startServer(_ certificates: TestCertificates) async throws -> (peer: PeerProcess, port: Int) {
        let process = try PeerProcess(
            openssl,
            [
                "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-www", "-cert", certificates.certificateFile,
                "-key", certificates.keyFile,
            ])
        // "ACCEPT 127.0.0.1:PORT", maybe after a line about DH parameters.
        for _ in 0..<5 {
            let line = await process.firstLine()
            if line.hasPrefix("ACCEPT "), let port = Int(line.split(separator: ":").last ?? "") {
                return (process, port)
            }
            if line.isEmpty { break }
        }
        throw TestCertificates.Failure(description: "openssl s_server did not say which port it listens on")
    }

    /// Runs openssl with `input` on its standard input; returns its status and outputs.
    static func run(_ arguments: [String], input: [UInt8]) async throws -> (Int32, [UInt8], String) {
        // Waited for on a thread of its own: our server's handler needs the concurrency pool meanwhile.
        let result = try await offThePool { try PeerProcess.run(openssl, arguments, input: Data(input)) }
        return (result.status, Array(result.stdout), result.stderr)
    }
}
