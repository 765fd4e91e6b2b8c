import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapPipeline
import WSTapProxy
import WSTapTestSupport

/// A stage between our client and our echo server, through a live proxy: what the echo brings back shows what
/// the server got; the events show the original frames, the ones sent instead, and the order of the stream.
@Suite struct StageTests {
    typealias EventLog = ReverseProxyTests.EventLog

    /// Client to server only: drops messages that start with "drop", upper-cases those that hold "swap",
    /// lets the rest pass.
    struct TestStage: TrafficStage {
        func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
            direction == .clientToServer
        }

        func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
            let text = String(buffer: message.payload)
            if text.hasPrefix("drop") { return StageDecision(verdict: .drop, by: "test drop") }
            if text.contains("swap") {
                return StageDecision(
                    verdict: .replace(ByteBuffer(string: text.uppercased()), isText: true), by: "test swap")
            }
            return .pass
        }
    }

    /// What the frames of `direction` said, in the order reported: disposition, opcode and the text (inflated
    /// when compressed).
    static func frames(_ log: EventLog, _ direction: TrafficDirection) -> [String] {
        log.all.compactMap { event in
            guard case .frame(let seen) = event, seen.direction == direction, case .rfc6455(let frame) = seen.content
            else { return nil }
            let text = String(buffer: seen.inflatedPayload ?? frame.payload)
            return "\(seen.disposition.name) \(frame.header.opcode.name) \(text)"
        }
    }

    @Test(arguments: [false, true])
    func messagesPassAreDroppedOrReplacedInOrder(compressed: Bool) async throws {
        let server = try await WebSocketServer.start(
            port: 0, options: ServerOptions(compression: compressed ? PerMessageDeflateServerPolicy() : nil),
            handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let log = EventLog()
        var options = ProxyOptions(
            upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), events: { log.append($0) })
        options.stage = TestStage()
        let proxy = try await ReverseProxy.start(port: 0, options: options)
        defer { Task { try? await proxy.stop() } }
        var clientOptions = ClientOptions()
        clientOptions.offersCompression = compressed
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/"), options: clientOptions)

        try await connection.send("a")
        #expect(await connection.receive()?.text == "a")
        // A message in two fragments with a ping between them: replaced whole; the ping keeps its place.
        try await connection.send("sw", finalFragment: false)
        try await connection.writeRaw(try FrameEncoder.encode(FrameSpec(opcode: .ping, mask: .random, payload: [1])))
        try await connection.send("ap me", opcode: .continuation)
        #expect(await connection.receive()?.text == "SWAP ME")
        // Dropped: the next echo is the next message's.
        try await connection.send("drop this")
        try await connection.send("b")
        #expect(await connection.receive()?.text == "b")
        // Server to client is not staged: the echo of a "swap" message comes back as it is.
        try await connection.send("no swap here")
        #expect(await connection.receive()?.text == "NO SWAP HERE")
        _ = try? await connection.close(code: .normalClosure, reason: "")

        try await InterceptTests.eventually {
            log.all.contains { if case .connectionClosed = $0 { true } else { false } }
        }
        var sent = Self.frames(log, .clientToServer).filter { !$0.hasPrefix("relayed close") }
        // Compressed, the fragments inflate to other splits of the same text ("" and "swap me" from our
        // compressor): what they say together is checked.
        let fragments = [1, 3].filter { $0 < sent.count }.map { sent[$0] }
        #expect(
            fragments.map { $0.split(separator: " ", maxSplits: 2).dropFirst(2).joined() }.joined() == "swap me",
            "\(sent)")
        for index in [1, 3] where index < sent.count { sent[index] = String(sent[index].prefix { $0 != " " }) }
        #expect(
            sent == [
                "relayed text a", "replaced", "relayed ping \u{1}", "replaced", "rewritten text SWAP ME",
                "removed text drop this", "relayed text b", "replaced text no swap here", "rewritten text NO SWAP HERE",
            ], "\(sent)")
        #expect(Self.frames(log, .clientToServer)[3].hasPrefix("replaced continuation"))
        #expect(Self.frames(log, .serverToClient).contains("relayed text NO SWAP HERE"))
        let notes = log.all.compactMap { event -> String? in
            if case .note(_, let text, _) = event { return text } else { return nil }
        }
        #expect(notes.filter { $0.hasPrefix("test swap: replaced a ") }.count == 2, "\(notes)")
        #expect(notes.contains { $0.hasPrefix("test drop: dropped a 9-byte text message") }, "\(notes)")
        #expect(!notes.contains { $0.contains("went on unchanged") }, "\(notes)")
    }
}
