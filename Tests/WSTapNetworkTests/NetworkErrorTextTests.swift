import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Network errors in plain words: what `wstap connect`, the proxy and replay say when a connection fails.
@Suite struct NetworkErrorTextTests {
    @Test func errnoValuesAndChannelErrors() {
        #expect(NetworkErrorText.describe(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "connection refused")
        #expect(NetworkErrorText.describe(IOError(errnoCode: ETIMEDOUT, reason: "connect")) == "timed out")
        #expect(NetworkErrorText.describe(ChannelError.connectTimeout(.seconds(10))) == "timed out (no answer in 10 s)")
        #expect(
            NetworkErrorText.describe(NIOSSLError.uncleanShutdown)
                == "the peer closed the connection without ending TLS (no close_notify)")
    }

    /// What NIO really throws for a port nobody listens on: no `(errno: 111))`, no type names.
    @Test func aRefusedConnection() async throws {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: 1).get()
            try? await channel.close()
            Issue.record("connected to port 1")
        } catch {
            #expect(NetworkErrorText.describe(error) == "connection refused", "\(error)")
        }
    }

    /// `wstap connect wss://...` to a server that does not speak TLS, and to one whose certificate is not
    /// trusted.
    @Test func tlsFailuresOfTheClient() async throws {
        let certificates = try await TestCertificates.loaded()
        let plain = try PeerProcess.plainHTTPRefuser()
        let plainPort = try await plain.port()
        defer { plain.stop() }
        do {
            _ = try await WebSocketClient.connect(to: try WebSocketURL("wss://127.0.0.1:\(plainPort)/"))
            Issue.record("a plain server accepted TLS")
        } catch {
            #expect("\(error)".contains("the server does not speak TLS"), "\(error)")
        }

        let secure = try await WebSocketServer.start(
            port: 0,
            options: ServerOptions(
                tls: ServerTLSOptions(
                    certificateChainFile: certificates.certificateFile, privateKeyFile: certificates.keyFile)),
            handler: WebSocketServer.echo)
        defer { Task { try? await secure.stop() } }
        do {
            _ = try await WebSocketClient.connect(to: try WebSocketURL("wss://localhost:\(secure.port)/"))
            Issue.record("an untrusted certificate was accepted")
        } catch {
            #expect(
                "\(error)".contains("certificate for localhost not trusted: unable to get local issuer certificate"),
                "\(error)")
        }
    }

    /// The test CA's own certificate is self-issued; the server's is not.
    @Test func selfIssuedCertificates() async throws {
        let certificates = try await TestCertificates.loaded()
        let ca = try NIOSSLCertificate.fromPEMFile(certificates.caFile)
        let server = try NIOSSLCertificate.fromPEMFile(certificates.certificateFile)
        #expect(try ServerCertificateCheck.isSelfIssued(ca[0].toDERBytes()))
        #expect(try !ServerCertificateCheck.isSelfIssued(server[0].toDERBytes()))
        #expect(!ServerCertificateCheck.isSelfIssued([0x30, 0x82, 0xFF]))
        #expect(!ServerCertificateCheck.isSelfIssued([]))
    }
}
