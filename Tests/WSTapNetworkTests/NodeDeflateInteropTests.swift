import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapTestSupport

/// permessage-deflate with node-ws (Debian's package) in both roles, with every RFC 7692 parameter:
/// `server_no_context_takeover`, `client_no_context_takeover`, `server_max_window_bits`,
/// `client_max_window_bits`. node-ws compresses every message here (threshold 0), sizes 0 to 150 000 bytes,
/// each message twice so that a kept (or reset) window is used.
@Suite(.serialized) struct NodeDeflateInteropTests {
    static let node = InteropPeer.nodeWs

    /// Our server's policy, node-ws client's offer (its perMessageDeflate options), and the parameters the
    /// client must report as agreed.
    static let serverCases: [(PerMessageDeflateServerPolicy, String, [String])] = [
        (PerMessageDeflateServerPolicy(), "{}", []),
        (
            PerMessageDeflateServerPolicy(
                serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10,
                clientMaxWindowBits: 11),
            "{}",
            [
                "\"server_no_context_takeover\":true", "\"client_no_context_takeover\":true",
                "\"server_max_window_bits\":10", "\"client_max_window_bits\":11",
            ]
        ),
        (
            PerMessageDeflateServerPolicy(),
            #"{"serverNoContextTakeover":true,"clientNoContextTakeover":true,"serverMaxWindowBits":9,"clientMaxWindowBits":12}"#,
            [
                "\"server_no_context_takeover\":true", "\"client_no_context_takeover\":true",
                "\"server_max_window_bits\":9",
            ]
        ),
    ]

    @Test(arguments: 0..<serverCases.count)
    func theirClientAgainstOurServer(index: Int) async throws {
        try #require(await Self.node.isInstalled, "node-ws is missing: run scripts/test.sh, which installs it")
        let (policy, offer, agreed) = Self.serverCases[index]
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(compression: policy), handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let client = try PeerProcess(
            Self.node.interpreter, [Self.script("ws_deflate_client.js"), "ws://127.0.0.1:\(server.port)/", offer],
            environment: Self.node.environment)
        let result = await client.finished()
        #expect(result.status == 0, "\(result.text)\n\(result.stderr)")
        #expect(result.text.contains("ok 32"), "\(result.text)")
        let params = result.text.split(separator: "\n").first { $0.hasPrefix("params ") } ?? ""
        for parameter in agreed {
            #expect(params.contains(parameter), "\(params) lacks \(parameter)")
        }
    }

    /// node-ws server's perMessageDeflate options, our client's offer, and the parameters our client must
    /// end up with.
    static let clientCases: [(String, PerMessageDeflateClientOffer, PerMessageDeflateParameters)] = [
        ("{}", PerMessageDeflateClientOffer(), PerMessageDeflateParameters()),
        (
            #"{"serverNoContextTakeover":true,"clientNoContextTakeover":true,"serverMaxWindowBits":10,"clientMaxWindowBits":9}"#,
            PerMessageDeflateClientOffer(),
            PerMessageDeflateParameters(
                serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10,
                clientMaxWindowBits: .limit(9))
        ),
        (
            "{}",
            PerMessageDeflateClientOffer(
                parameters: PerMessageDeflateParameters(
                    serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 11,
                    clientMaxWindowBits: .limit(12))),
            PerMessageDeflateParameters(
                serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 11,
                clientMaxWindowBits: .limit(12))
        ),
    ]

    @Test(arguments: 0..<clientCases.count)
    func ourClientAgainstTheirServer(index: Int) async throws {
        try #require(await Self.node.isInstalled, "node-ws is missing: run scripts/test.sh, which installs it")
        let (serverOptions, offer, expected) = Self.clientCases[index]
        let server = try PeerProcess(
            Self.node.interpreter, [Self.script("ws_deflate_server.js"), serverOptions],
            environment: Self.node.environment)
        defer { server.process.terminate() }
        let port = await server.firstLine()
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"),
            options: ClientOptions(reportsFrames: true, offersCompression: true, compressionOffer: offer))
        let agreed = try #require(connection.info.compression)
        #expect(agreed.serverNoContextTakeover == expected.serverNoContextTakeover)
        #expect(agreed.clientNoContextTakeover == expected.clientNoContextTakeover)
        #expect(agreed.serverMaxWindowBits == expected.serverMaxWindowBits)
        #expect(agreed.clientMaxWindowBits.windowBits == expected.clientMaxWindowBits.windowBits)
        for size in [0, 1, 125, 126, 1000, 65535, 65536, 150_000] {
            let text = String(String(repeating: "wstap deflate ", count: size / 14 + 1).prefix(size))
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
            for (opcode, payload) in [(Opcode.text, Array(text.utf8)), (.binary, bytes), (.text, Array(text.utf8))] {
                try await connection.send(ByteBuffer(bytes: payload), opcode: opcode)
                var compressed = false
                var reply: Message? = nil
                while reply == nil, let event = await connection.nextEvent() {
                    switch event {
                    case .frameReceived(let frame): compressed = compressed || frame.header.reservedBits == .rsv1
                    case .message(let message): reply = message
                    default: break
                    }
                }
                #expect(reply?.opcode == opcode, "\(size)")
                #expect(reply.map { Array($0.data.readableBytesView) } == payload, "\(opcode.name) \(size)")
                #expect(compressed, "node-ws did not compress its echo of \(size) bytes")
            }
        }
        // node-ws's own view of what was agreed.
        try await connection.send("extensions?")
        let view = await connection.receive()?.text ?? ""
        #expect(view.contains("server_no_context_takeover") == expected.serverNoContextTakeover, "\(view)")
        #expect(await connection.close().wasClean)
    }

    static func script(_ name: String) -> String {
        PeerScripts.folder(of: "WSTapNetworkTests").appendingPathComponent(name).path
    }
}
