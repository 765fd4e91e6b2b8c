import Testing
import WSTapCore
import WSTapUI

/// The handshake view (`h`) and the connections list's extensions column.
@Suite struct HandshakeViewTests {
    static let sizes = [(80, 24), (120, 40)]

    /// An RFC 6455 handshake as Chrome sends it, answered with a subprotocol and permessage-deflate.
    static func browserHandshake(_ connection: UInt64, accept: String? = nil) -> TrafficEvent.ConnectionOpened {
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        let request = HTTPRequestHead(
            method: "GET", target: "/chat?room=lobby",
            headers: [
                "Host": "127.0.0.1:9001", "Connection": "Upgrade", "Pragma": "no-cache", "Upgrade": "websocket",
                "Origin": "http://127.0.0.1:8000", "Sec-WebSocket-Version": "13",
                "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0",
                "Sec-WebSocket-Key": key, "Sec-WebSocket-Protocol": "chat.v2, chat.v1",
                "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
            ])
        let response = HTTPResponseHead(
            statusCode: 101, reason: "Switching Protocols",
            headers: [
                "Upgrade": "websocket", "Connection": "Upgrade",
                "Sec-WebSocket-Accept": accept ?? RFC6455Handshake.acceptValue(forKey: key),
                "Sec-WebSocket-Protocol": "chat.v1",
                "Sec-WebSocket-Extensions":
                    "permessage-deflate; server_no_context_takeover; client_max_window_bits=10",
            ])
        return TrafficEvent.ConnectionOpened(
            connection: connection, clientAddress: "127.0.0.1:51000", target: "ws://127.0.0.1:9001/",
            request: request, response: response, variant: .rfc6455, framing: .old, subprotocol: "chat.v1",
            extensions: [
                ExtensionOffer(
                    name: "permessage-deflate",
                    parameters: [
                        ExtensionParameter(name: "server_no_context_takeover"),
                        ExtensionParameter(name: "client_max_window_bits", value: "10"),
                    ])
            ], at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0))
    }

    /// The hybi-00 example handshake of draft-ietf-hybi-thewebsocketprotocol-00 (its keys give the answer
    /// `8jKS'y:G*Co,Wxa-`).
    static func hybi00Handshake(_ connection: UInt64) -> TrafficEvent.ConnectionOpened {
        let request = HTTPRequestHead(
            method: "GET", target: "/demo",
            headers: [
                "Host": "example.com", "Connection": "Upgrade", "Sec-WebSocket-Key2": "12998 5 Y3 1  .P00",
                "Sec-WebSocket-Protocol": "sample", "Upgrade": "WebSocket",
                "Sec-WebSocket-Key1": "4 @1  46546xW%0l 1 5", "Origin": "http://example.com",
            ])
        let response = HTTPResponseHead(
            statusCode: 101, reason: "WebSocket Protocol Handshake",
            headers: [
                "Upgrade": "WebSocket", "Connection": "Upgrade", "Sec-WebSocket-Origin": "http://example.com",
                "Sec-WebSocket-Location": "ws://example.com/demo", "Sec-WebSocket-Protocol": "sample",
            ])
        return TrafficEvent.ConnectionOpened(
            connection: connection, clientAddress: "127.0.0.1:52000", target: "ws://example.com/",
            request: request, response: response, variant: .hybi00, framing: .old, subprotocol: "sample",
            extensions: [], at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0),
            requestBody: Array("^n:ds[4U".utf8), responseBody: Array("8jKS'y:G*Co,Wxa-".utf8))
    }

    static func session(_ columns: Int, _ rows: Int) -> UIState {
        var state = Sessions.state(columns, rows)
        var script = TrafficScript()
        script.open(browserHandshake(1))
        script.text(1, .clientToServer, "hello")
        script.open(hybi00Handshake(2))
        script.bytes(2, .clientToServer, [0x00] + Array("hi".utf8) + [0xff])
        Sessions.apply(&state, script)
        return state
    }

    static func screen(_ state: UIState) -> String {
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        return grid.text()
    }

    @Test(arguments: sizes) func handshakeOfTheSelectedFrame(columns: Int, rows: Int) {
        var state = Self.session(columns, rows)
        Sessions.keys(&state, .character("g"), .character("h"))
        #expect(state.overlay == .handshake(connection: 1))
        GoldenScreen.assertMatches(state, named: "handshake")
    }

    @Test(arguments: sizes) func hybi00KeyBytesAndAnswer(columns: Int, rows: Int) {
        var state = Self.session(columns, rows)
        Sessions.keys(&state, .character("G"), .character("h"))
        #expect(state.overlay == .handshake(connection: 2))
        GoldenScreen.assertMatches(state, named: "handshake-hybi00")
    }

    @Test(arguments: sizes) func connectionsListShowsExtensions(columns: Int, rows: Int) {
        var state = Self.session(columns, rows)
        Sessions.keys(&state, .character("c"), .up)
        #expect(Self.screen(state).contains("deflate-"), "in its row, or (cut at 80 columns) in the line below")
        GoldenScreen.assertMatches(state, named: "connections-extensions")
    }

    @Test func fromTheConnectionsListAndBack() {
        var state = Self.session(80, 24)
        Sessions.keys(&state, .character("c"), .up, .character("h"))
        #expect(state.overlay == .handshake(connection: 1), "the connection selected in the list")
        Sessions.keys(&state, .escape)
        #expect(state.overlay == .connections, "Esc goes back to the list it was opened from")
        Sessions.keys(&state, .escape, .character("h"))
        #expect(state.overlay == .handshake(connection: 2), "from the frame list: the selected frame's connection")
        Sessions.keys(&state, .character("h"))
        #expect(state.overlay == nil)
    }

    @Test func scrollsToTheEndAndNoFurther() {
        var state = Self.session(80, 24)
        Sessions.keys(&state, .character("g"), .character("h"))
        let first = Self.screen(state)
        #expect(first.contains("GET /chat?room=lobby HTTP/1.1"))
        #expect(!first.contains("check"), "the check is below the first screen at 80x24")
        Sessions.keys(&state, .character("G"))
        let last = Self.screen(state)
        #expect(last.contains("Sec-WebSocket-Accept matches the key"))
        for _ in 0..<5 { Sessions.keys(&state, .down) }
        #expect(Self.screen(state) == last, "no scrolling past the end")
        Sessions.keys(&state, .up)
        #expect(Self.screen(state) != last)
    }

    @Test func explainsDeflateParametersAndChecksTheAnswer() {
        var state = Sessions.state(120, 40)
        var script = TrafficScript()
        script.open(Self.browserHandshake(1, accept: "AAAAAAAAAAAAAAAAAAAAAAAAAAA="))
        script.open(Self.hybi00Handshake(2))
        Sessions.apply(&state, script)
        Sessions.keys(&state, .character("c"), .up, .character("h"))
        let rfc = Self.screen(state)
        #expect(rfc.contains("Sec-WebSocket-Accept does NOT match the key"))
        #expect(rfc.contains("server_no_context_takeover  the server compresses each message afresh"))
        #expect(rfc.contains("client_max_window_bits=10  the client's window: 1024 bytes"))
        #expect(rfc.contains("subprotocol  chat.v1 (offered: chat.v2, chat.v1)"))
        Sessions.keys(&state, .escape, .down, .character("h"))
        let hybi = Self.screen(state)
        #expect(hybi.contains("key3 (8 bytes after the head): 5e 6e 3a 64 73 5b 34 55"))
        #expect(hybi.contains("the answer is MD5 of the keys, as it should be"))
    }

    @Test func aConnectionWithoutAHandshakeSaysSo() {
        var state = Sessions.state(80, 24)
        var script = TrafficScript()
        script.open(1)
        Sessions.apply(&state, script)
        _ = reduce(
            &state,
            .traffic([
                .connectionClosed(
                    .init(
                        connection: 7, closedBy: nil, clientCloseCode: nil, serverCloseCode: nil, closeReason: "",
                        wasClean: false, error: "refused", at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0)
                    ))
            ]))
        Sessions.keys(&state, .character("c"), .character("h"))
        #expect(Self.screen(state).contains("its handshake was not seen"))
    }
}
