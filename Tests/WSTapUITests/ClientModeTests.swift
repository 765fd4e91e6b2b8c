import NIOCore
import Testing
import WSTapCore

@testable import WSTapUI

/// Client mode (`wstap connect`) and the forward proxy, through the pure update function, and their
/// golden screens.
@Suite struct ClientModeTests {
    static let sizes = [(80, 24), (120, 40)]

    /// A client session: one connection to the server, a message each way.
    static func clientSession(
        _ columns: Int = 80, _ rows: Int = 24, variant: ProtocolVariant = .rfc6455, serverCloses: Bool = false
    ) -> UIState {
        var state = UIState(
            mode: .client, upstream: "ws://127.0.0.1:9001/chat", size: ScreenSize(columns: columns, rows: rows))
        var script = TrafficScript()
        script.open(1, variant: variant)
        if variant == .rfc6455 {
            script.text(1, .clientToServer, "hello server")
            script.text(1, .serverToClient, "hello server")
        } else {
            script.bytes(1, .clientToServer, [0x00] + Array("old framing".utf8) + [0xFF])
        }
        if serverCloses {
            script.close(1, clientCode: CloseCode(4001), serverCode: CloseCode(4001), reason: "bye", serverFirst: true)
        }
        Sessions.apply(&state, script)
        return state
    }

    /// The server closes with 4001 "bye", the client answers, the connection ends.
    static func serverCloses(_ state: inout UIState) {
        var script = TrafficScript()
        script.open(1)
        script.frame(1, .serverToClient, .close(code: CloseCode(4001), reason: "bye"))
        script.frame(1, .clientToServer, .close(code: CloseCode(4001), reason: "bye"))
        var events = Array(script.events.dropFirst())
        events.append(
            .connectionClosed(
                .init(
                    connection: 1, closedBy: .server, clientCloseCode: CloseCode(4001),
                    serverCloseCode: CloseCode(4001), closeReason: "bye", wasClean: true, error: nil,
                    at: TrafficTimestamp(wallSeconds: 1_795_615_210, monotonicNanoseconds: 0))))
        _ = reduce(&state, .traffic(events))
    }

    static func type(_ state: inout UIState, _ text: String) -> [UIEffect] {
        var effects: [UIEffect] = []
        for character in text { effects += reduce(&state, .key(.character(character))) }
        return effects + reduce(&state, .key(.enter))
    }

    static func decode(_ bytes: [UInt8]) -> DecodedFrame? {
        var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: .client))
        decoder.append(bytes)
        return decoder.nextFrame()
    }

    @Test func sTypesATextMessageAndEnterSendsItAsOneMaskedFrame() throws {
        var state = Self.clientSession()
        #expect(reduce(&state, .key(.character("s"))).isEmpty)
        #expect(state.prompt == Prompt(.message))
        let effects = Self.type(&state, "héllo there")
        #expect(state.prompt == nil)
        guard case .send(let bytes) = try #require(effects.first), effects.count == 1 else {
            Issue.record("expected one send, got \(effects)")
            return
        }
        let frame = try #require(Self.decode(bytes))
        #expect(frame.header.opcode == .text)
        #expect(frame.header.fin)
        #expect(frame.header.isMasked, "a client masks what it sends")
        #expect(frame.violations.isEmpty)
        #expect(frame.wireLength == UInt64(bytes.count))
        #expect(String(buffer: frame.payload) == "héllo there")

        // The keys come from the seeded sequence: another message gets another key.
        _ = reduce(&state, .key(.character("s")))
        guard case .send(let second) = Self.type(&state, "again").first, let next = Self.decode(second) else {
            Issue.record("the second message was not sent")
            return
        }
        #expect(next.header.maskingKey != frame.header.maskingKey)
    }

    @Test func hexAndBase64LinesSendBinaryAndTextEscapesAPrefix() throws {
        var state = Self.clientSession()
        for (line, opcode, payload) in [
            ("hex:00 ff 10", Opcode.binary, [0x00, 0xff, 0x10] as [UInt8]), ("b64:AP8Q", .binary, [0x00, 0xff, 0x10]),
            ("text:hex:41", .text, Array("hex:41".utf8)),
        ] {
            _ = reduce(&state, .key(.character("s")))
            guard case .send(let bytes) = Self.type(&state, line).first, let frame = Self.decode(bytes) else {
                Issue.record("\(line) was not sent")
                continue
            }
            #expect(frame.header.opcode == opcode, "\(line)")
            #expect(Array(frame.payload.readableBytesView) == payload, "\(line)")
        }
        _ = reduce(&state, .key(.character("s")))
        #expect(Self.type(&state, "hex:zz").isEmpty, "hex that is not hex is not sent")
        #expect(state.notice?.hasPrefix("not sent: hex:") == true, "\(String(describing: state.notice))")
    }

    @Test func sAfterTheServerClosedSaysSoAndSendsNothing() {
        var state = Self.clientSession()
        Self.serverCloses(&state)
        #expect(reduce(&state, .key(.character("s"))).isEmpty)
        #expect(state.prompt == nil)
        #expect(state.notice?.contains("closed") == true)
    }

    @Test func escapeCancelsTheMessage() {
        var state = Self.clientSession()
        Sessions.keys(&state, .character("s"), .character("x"), .escape)
        #expect(state.prompt == nil)
        #expect(reduce(&state, .key(.character("q"))) == [.quit], "q quits once the prompt is gone")
    }

    @Test func interceptIsNotAvailableInClientMode() {
        var state = Self.clientSession()
        #expect(reduce(&state, .key(.character("i"))).isEmpty)
        #expect(!state.intercept)
        #expect(state.notice?.contains("not available in client mode") == true)
        #expect(reduce(&state, .key(.character("I"))).isEmpty)
        #expect(state.overlay == nil)
    }

    @Test func interceptIsNotAvailableInServerModeEither() {
        var state = Sessions.state(80, 24, mode: .server)
        Sessions.apply(&state, Sessions.everyOpcode)
        #expect(reduce(&state, .key(.character("i"))).isEmpty)
        #expect(!state.intercept)
        #expect(state.notice?.contains("not available in server mode") == true)
        _ = reduce(&state, .key(.escape))
        var grid = CellGrid(size: ScreenSize(columns: 120, rows: 40))
        _ = reduce(&state, .resize(ScreenSize(columns: 120, rows: 40)))
        render(state, into: &grid)
        #expect(grid.text().contains("r record"))
        #expect(!grid.text().contains("i intercept"))
    }

    @Test func repeaterSendsTheSelectedFrameOnTheClientConnection() throws {
        var state = Self.clientSession()
        Sessions.keys(&state, .up)
        let effects = reduce(&state, .key(.character("R")))
        guard case .send(let bytes) = try #require(effects.first) else {
            Issue.record("expected a send, got \(effects)")
            return
        }
        let frame = try #require(Self.decode(bytes))
        #expect(String(buffer: frame.payload) == "hello server")
        #expect(frame.header.maskingKey == MaskingKey(0x37, 0xfa, 0x21, 0x3d), "the frame's exact bytes")
    }

    @Test func sInAProxySaysWhereSendingIsAndOpensNoPrompt() {
        var state = Sessions.state(80, 24)
        Sessions.apply(&state, Sessions.everyOpcode)
        #expect(reduce(&state, .key(.character("s"))).isEmpty)
        #expect(state.prompt == nil)
        #expect(state.notice?.contains("wstap connect") == true)
    }

    @Test func framingToggleSwitchesWhatSSendsOnAHybi00Client() throws {
        var state = Self.clientSession(variant: .hybi00)
        _ = reduce(&state, .key(.character("s")))
        #expect(Self.type(&state, "ab") == [.send(bytes: [0x00, 0x61, 0x62, 0xFF])])
        #expect(reduce(&state, .key(.character("o"))) == [.setFraming(connection: 1, framing: .new)])
        #expect(state.connections[1]?.framing == .new)
        _ = reduce(&state, .key(.character("s")))
        #expect(Self.type(&state, "ab") == [.send(bytes: [0xFF, 0, 0, 0, 0, 0, 0, 0, 2, 0x61, 0x62])])
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        #expect(grid.text().contains("hybi00 #1 new"))
    }

    /// The switch is announced once, when the connection reports it (at once): the key's own notice used to
    /// be replaced by the report's before it could be read.
    @Test func framingToggleIsAnnouncedOnceByTheConnectionsReport() throws {
        var state = Self.clientSession(variant: .hybi00)
        #expect(reduce(&state, .key(.character("o"))) == [.setFraming(connection: 1, framing: .new)])
        #expect(state.notice == nil, "nothing has happened yet")
        let time = TrafficTimestamp(wallSeconds: 1_795_615_300, monotonicNanoseconds: 1)
        _ = reduce(
            &state, .traffic([.framingChanged(.init(connection: 1, framing: .new, redecoded: false, at: time))]))
        #expect(state.notice == "hybi-00 framing new: the client sends and reads in it from the next frame")
        _ = reduce(&state, .tick(wallSeconds: 1_795_615_301))
        #expect(state.notice == "hybi-00 framing new: the client sends and reads in it from the next frame")
    }

    @Test func framingToggleOnAnRFC6455ClientSaysThereIsNone() {
        var state = Self.clientSession()
        #expect(reduce(&state, .key(.character("o"))).isEmpty)
        #expect(state.notice?.contains("RFC 6455") == true)
    }

    @Test func statusBarShowsTheRoundTripTimeAndTheServersClose() {
        var state = Self.clientSession()
        _ = reduce(&state, .roundTrip(.microseconds(1234)))
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        let top = grid.text().split(separator: "\n").first.map(String.init) ?? ""
        #expect(top.contains("wstap client ws://127.0.0.1:9001/chat"))
        #expect(top.contains("rtt 1.234 ms"))
        #expect(!top.contains("CLOSED"))
        Self.serverCloses(&state)
        render(state, into: &grid)
        #expect(grid.text().contains("CLOSED 4001"))
    }

    @Test func helpInClientModeListsSendInsteadOfIntercept() {
        var state = Self.clientSession(120, 40)
        Sessions.keys(&state, .character("?"))
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        let text = grid.text()
        #expect(text.contains("send a text message"))
        #expect(!text.contains("intercept queue"))
    }

    // MARK: Golden screens

    @Test(arguments: sizes) func clientStatusBar(columns: Int, rows: Int) {
        var state = Self.clientSession(columns, rows, serverCloses: true)
        _ = reduce(&state, .roundTrip(.microseconds(812)))
        GoldenScreen.assertMatches(state, named: "client")
    }

    /// A forward proxy: connections to two hosts; the connections list shows where each goes (the proxy's
    /// target names the server, the request the path: a long one keeps its end).
    static func forwardSession(_ columns: Int, _ rows: Int) -> UIState {
        var state = UIState(
            mode: .forward, listenAddress: "127.0.0.1:8080", upstream: "/home/ada/.wstap/ca",
            size: ScreenSize(columns: columns, rows: rows))
        var script = TrafficScript()
        script.open(1, target: "wss://echo.example.org/", path: "/socket?room=lobby&token=8c4e2f1a")
        script.text(1, .clientToServer, "through the tunnel")
        script.text(1, .serverToClient, "through the tunnel")
        script.open(2, target: "ws://127.0.0.1:9001/", path: "/chat")
        script.text(2, .clientToServer, "plain")
        Sessions.apply(&state, script)
        return state
    }

    @Test(arguments: sizes) func forwardProxy(columns: Int, rows: Int) {
        let state = Self.forwardSession(columns, rows)
        GoldenScreen.assertMatches(state, named: "forward")
    }

    @Test func connectionsShowTheServerWithTheRequestPath() {
        let state = Self.forwardSession(80, 24)
        #expect(state.connections[1]?.target == "wss://echo.example.org/socket?room=lobby&token=8c4e2f1a")
        #expect(state.connections[2]?.target == "ws://127.0.0.1:9001/chat")
        // Too long: the query goes first, then the end.
        #expect(ConnectionSummary.fitted(state.connections[1]?.target ?? "", 31) == "wss://echo.example.org/socket?…")
        #expect(ConnectionSummary.fitted("ws://h:1/chat", 15) == "ws://h:1/chat  ")
        #expect(
            ConnectionSummary.fitted("ws://example.org/a/long/path/to/the/socket?x=1", 24) == "ws://example.org/a/long…"
        )
        #expect(ConnectionSummary.fitted("not a url at all, quite long", 10) == "not a url…")
    }

    @Test(arguments: sizes) func forwardProxyConnections(columns: Int, rows: Int) {
        var state = Self.forwardSession(columns, rows)
        Sessions.keys(&state, .character("c"))
        GoldenScreen.assertMatches(state, named: "forward-connections")
    }
}
