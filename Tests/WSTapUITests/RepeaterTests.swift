import NIOCore
import Testing
import WSTapCore
import WSTapUI

/// The repeater (`y`): a message edited and sent again on its connection, what came back grouped under each
/// send, the sends' history, several tabs.
@Suite struct RepeaterTests {
    static let sizes = [(80, 24), (120, 40)]

    static func session(_ columns: Int = 80, _ rows: Int = 24, mode: SessionMode = .proxy) -> UIState {
        var state = Sessions.state(columns, rows, mode: mode)
        var script = TrafficScript()
        script.open(1)
        script.text(1, .clientToServer, #"{"op":"balance","user":1}"#)
        script.text(1, .serverToClient, #"{"balance":10}"#)
        script.frame(1, .clientToServer, FrameSpec(fin: false, opcode: .text, payload: Array("frag".utf8)))
        script.frame(1, .clientToServer, FrameSpec(opcode: .continuation, payload: Array("ment".utf8)))
        script.frame(1, .clientToServer, FrameSpec(opcode: .binary, payload: [0, 1, 0xff]))
        Sessions.apply(&state, script)
        return state
    }

    /// The frame the effect's bytes make, as the server would read it.
    static func decoded(_ effects: [UIEffect]) -> (connection: UInt64?, frame: DecodedFrame?) {
        var bytes: [UInt8] = []
        var connection: UInt64?
        switch effects.first {
        case .inject(let id, .clientToServer, let sent)?:
            bytes = sent
            connection = id
        case .send(let sent)?:
            bytes = sent
        default: return (nil, nil)
        }
        var decoder = FrameDecoder()
        decoder.append(bytes)
        return (connection, decoder.nextFrame())
    }

    static func screen(_ state: UIState) -> String {
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        return grid.text()
    }

    static func type(_ state: inout UIState, _ text: String) -> [UIEffect] {
        var effects: [UIEffect] = []
        for character in text { effects += reduce(&state, .key(.character(character))) }
        return effects
    }

    @Test func editsAJSONMessageAndSendsItOnItsConnection() throws {
        var state = Self.session()
        Sessions.keys(&state, .character("g"), .character("y"))
        #expect(state.overlay == .repeater)
        let tab = try #require(state.repeaterTabs.first)
        #expect(tab.text == #"{"op":"balance","user":1}"#)
        #expect(tab.mode == .json, "a JSON payload opens in JSON mode")
        // Replace the user id: backspace twice over `1}`, then type.
        Sessions.keys(&state, .backspace, .backspace)
        _ = Self.type(&state, "2")
        #expect(Self.screen(state).contains("not JSON"), "the check runs as one types")
        #expect(reduce(&state, .key(.enter)).isEmpty, "JSON that does not parse is not sent")
        _ = Self.type(&state, "}")
        let (connection, frame) = Self.decoded(reduce(&state, .key(.enter)))
        #expect(connection == 1)
        let sent = try #require(frame)
        #expect(sent.header.opcode == .text)
        #expect(sent.header.isMasked, "a client frame is masked")
        #expect(Array(sent.payload.readableBytesView) == Array(#"{"op":"balance","user":2}"#.utf8))
        // The server's answer arrives: it shows under the send.
        var answer = TrafficScript()
        answer.open(1)
        answer.text(1, .serverToClient, #"{"balance":0}"#)
        _ = reduce(&state, .traffic(Array(answer.events.dropFirst())))
        let screen = Self.screen(state)
        #expect(screen.contains("send 1 →"), "\(screen)")
        #expect(screen.contains(#"← text "{\"balance\":0}""#), "\(screen)")
        #expect(!screen.contains(#"{\"balance\":10}"#), "the reply to the recorded message is not this send's")
    }

    @Test func aFragmentOpensItsWholeMessageAndHexAndTextConvert() throws {
        var state = Self.session()
        Sessions.keys(&state, .character("g"), .character("j"), .character("j"), .character("y"))
        #expect(state.repeaterTabs.first?.text == "fragment")
        #expect(state.repeaterTabs.first?.mode == .text)
        Sessions.keys(&state, .tab)
        #expect(state.repeaterTabs.first?.mode == .hex)
        #expect(state.repeaterTabs.first?.text == "66 72 61 67 6d 65 6e 74")
        Sessions.keys(&state, .tab)
        #expect(state.repeaterTabs.first?.mode == .text, "not JSON: text and hex only")
        #expect(state.repeaterTabs.first?.text == "fragment")
    }

    @Test func jsonGoesToHexAndTextAndBack() throws {
        var state = Self.session()
        Sessions.keys(&state, .character("g"), .character("y"), .tab)
        #expect(state.repeaterTabs.first?.mode == .hex)
        Sessions.keys(&state, .tab)
        #expect(state.repeaterTabs.first?.mode == .text)
        Sessions.keys(&state, .tab)
        #expect(state.repeaterTabs.first?.mode == .json)
        #expect(state.repeaterTabs.first?.text == #"{"op":"balance","user":1}"#)
    }

    @Test func binaryOpensInHexAndSendsBinary() throws {
        var state = Self.session()
        Sessions.keys(&state, .character("G"), .character("y"))
        #expect(state.repeaterTabs.first?.mode == .hex)
        #expect(state.repeaterTabs.first?.text == "00 01 ff")
        _ = Self.type(&state, " 0a")
        let frame = try #require(Self.decoded(reduce(&state, .key(.enter))).frame)
        #expect(frame.header.opcode == .binary)
        #expect(Array(frame.payload.readableBytesView) == [0, 1, 0xff, 0x0a])
        _ = Self.type(&state, "zz")
        #expect(reduce(&state, .key(.enter)).isEmpty, "hex that is not hex is not sent")
        #expect(state.notice?.contains("not sent") == true)
    }

    @Test func historyAndTabs() throws {
        var state = Self.session()
        Sessions.keys(&state, .character("g"), .character("y"))
        Sessions.keys(&state, .control("u"))
        _ = Self.type(&state, "[1]")
        _ = reduce(&state, .key(.enter))
        Sessions.keys(&state, .control("u"))
        _ = Self.type(&state, "[2]")
        _ = reduce(&state, .key(.enter))
        Sessions.keys(&state, .up)
        #expect(state.repeaterTabs[0].text == "[1]", "Up: the send before the last")
        Sessions.keys(&state, .down)
        #expect(state.repeaterTabs[0].text == "[2]")
        // A second tab from another frame; Ctrl-N and Ctrl-P go between them, Ctrl-W closes one.
        Sessions.keys(&state, .escape, .character("G"), .character("y"))
        #expect(state.repeaterTabs.count == 2)
        #expect(state.repeaterTab == 1)
        Sessions.keys(&state, .control("n"))
        #expect(state.repeaterTab == 0)
        #expect(state.repeaterTabs[0].sends.count == 2, "the sends stay with their tab")
        Sessions.keys(&state, .control("p"), .control("w"))
        #expect(state.repeaterTabs.count == 1)
        #expect(state.overlay == .repeater)
    }

    @Test func theClientSendsItsOwnConnection() throws {
        var state = Self.session(mode: .client)
        Sessions.keys(&state, .character("g"), .character("j"), .character("y"))
        #expect(state.repeaterTabs.first?.direction == .clientToServer, "a client sends to the server")
        let effects = reduce(&state, .key(.enter))
        guard case .send = effects.first else {
            Issue.record("a client sends with .send: \(effects)")
            return
        }
    }

    @Test func aClosedConnectionIsNotSentTo() {
        var state = Self.session()
        Sessions.keys(&state, .character("g"), .character("y"))
        var script = TrafficScript()
        script.open(1)
        script.close(1, clientCode: .normalClosure, serverCode: .normalClosure, reason: "")
        _ = reduce(&state, .traffic(Array(script.events.dropFirst())))
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.notice == "connection #1 is closed: not sent")
    }

    @Test(arguments: sizes) func repeaterScreen(columns: Int, rows: Int) {
        var state = Self.session(columns, rows)
        Sessions.keys(&state, .character("G"), .character("y"))
        Sessions.keys(&state, .escape, .character("g"), .character("y"))
        _ = reduce(&state, .key(.enter))
        var answer = TrafficScript()
        answer.open(1)
        answer.text(1, .serverToClient, #"{"balance":10}"#)
        answer.frame(1, .serverToClient, FrameSpec(opcode: .ping, payload: Array("still there?".utf8)))
        _ = reduce(&state, .traffic(Array(answer.events.dropFirst())))
        Sessions.keys(&state, .backspace, .backspace)
        _ = Self.type(&state, "3}")
        GoldenScreen.assertMatches(state, named: "repeater")
    }
}
