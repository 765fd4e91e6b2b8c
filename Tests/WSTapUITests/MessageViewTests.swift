import Testing
import WSTapCore

@testable import WSTapUI

extension Sessions {
    /// A text message in three fragments with a ping and a server frame between them, a binary message
    /// in two fragments, a lone text frame, and a message whose FIN has not come yet.
    static var fragmentedMessages: TrafficScript {
        var script = TrafficScript()
        script.open(5)
        script.frame(5, .clientToServer, FrameSpec(fin: false, opcode: .text, payload: Array("Hello, ".utf8)))
        script.frame(5, .clientToServer, FrameSpec(opcode: .ping, payload: Array("still there?".utf8)))
        script.text(5, .serverToClient, "unrelated reply")
        script.frame(
            5, .clientToServer, FrameSpec(fin: false, opcode: .continuation, payload: Array("fragmented ".utf8)))
        script.frame(5, .serverToClient, FrameSpec(opcode: .pong, payload: Array("still there?".utf8)))
        script.frame(5, .clientToServer, FrameSpec(fin: true, opcode: .continuation, payload: Array("world".utf8)))
        script.frame(5, .serverToClient, FrameSpec(fin: false, opcode: .binary, payload: [0xde, 0xad]))
        script.frame(5, .serverToClient, FrameSpec(fin: true, opcode: .continuation, payload: [0xbe, 0xef]))
        script.text(5, .clientToServer, "single")
        script.frame(5, .clientToServer, FrameSpec(fin: false, opcode: .text, payload: Array("to be contin".utf8)))
        return script
    }
}

/// The message view (`m`): fragments joined into one row per message, control frames on their own.
@Suite struct MessageViewTests {
    static let sizes = [(80, 24), (120, 40)]

    func session(_ columns: Int = 80, _ rows: Int = 24, payloadBytes: Int = 32 << 20) -> UIState {
        var state = UIState(
            mode: .proxy, listenAddress: "127.0.0.1:8080", upstream: "ws://127.0.0.1:9001",
            size: ScreenSize(columns: columns, rows: rows), payloadBytes: payloadBytes)
        Sessions.apply(&state, Sessions.fragmentedMessages)
        return state
    }

    @Test func mTogglesBetweenFramesAndMessages() {
        var state = session()
        #expect(state.visibleCount == 10)
        Sessions.keys(&state, .character("m"))
        #expect(state.showsMessages)
        // Text (3 frames), ping, reply, pong, binary (2 frames), single, the open message.
        #expect(state.visibleCount == 7)
        #expect(state.selected == 9, "following: the newest message, which starts at the last frame")
        Sessions.keys(&state, .character("g"))
        #expect(state.selected == 0)
        Sessions.keys(&state, .down, .down, .down)
        #expect(state.selected == 4, "the pong: the frames of the text message are one row")
        Sessions.keys(&state, .character("m"))
        #expect(!state.showsMessages)
        #expect(state.visibleCount == 10)
        #expect(state.selected == 4, "the cursor stays on the same frame")
    }

    @Test func aContinuationsMessageIsSelectedWhenSwitchingToMessages() {
        var state = session()
        Sessions.keys(&state, .character("g"), .down, .down, .down, .down, .down)
        #expect(state.selected == 5, "the last fragment of the text message")
        Sessions.keys(&state, .character("m"))
        #expect(state.selected == 0, "its message starts at the first frame")
    }

    @Test func messagesCountFramesAndLengthsPerConnectionAndDirection() throws {
        let state = session()
        let first = try #require(state.messages.entry(number: 0))
        #expect(first.frameCount == 3)
        #expect(first.length == 23)
        #expect(first.lastSequence == 5)
        #expect(first.flags.contains(.complete))
        let open = try #require(state.messages.entry(number: state.messages.endNumber - 1))
        #expect(!open.flags.contains(.complete))
        let members = MessageFrames(first, in: state.frames)
        #expect(members.sequences == [0, 3, 5])
        #expect(members.wholePayload(state.frames) == Array("Hello, fragmented world".utf8))
    }

    @Test func newFramesJoinTheOpenMessageLive() {
        var state = session()
        Sessions.keys(&state, .character("m"))
        let before = state.visibleCount
        var more = TrafficScript()
        more.open(5)
        more.frame(5, .clientToServer, FrameSpec(fin: true, opcode: .continuation, payload: Array("ued".utf8)))
        more.text(5, .clientToServer, "after")
        _ = reduce(&state, .traffic(Array(more.events.dropFirst())))
        #expect(state.visibleCount == before + 1, "the continuation joined its message; only \"after\" is new")
        let last = state.messages.entry(number: state.messages.endNumber - 2)
        #expect(last?.frameCount == 2)
        #expect(last?.flags.contains(.complete) == true)
    }

    @Test func theDetailPaneShowsTheWholeMessageOrSaysOnlyTheStartIsHeld() {
        var state = session(120, 40)
        Sessions.keys(&state, .character("m"), .character("g"), .enter)
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        var screen = grid.text()
        #expect(screen.contains("\"Hello, fragmented world\"") || screen.contains("Hello, fragmented world"))
        #expect(screen.contains("joined from 3 frames"))
        // With no room for whole payloads, only the previews are left.
        var small = session(120, 40, payloadBytes: 0)
        Sessions.keys(&small, .character("m"), .character("g"), .enter)
        render(small, into: &grid)
        screen = grid.text()
        #expect(screen.contains("only the start (23 bytes) is held"))
        #expect(screen.contains("Hello, fragmented world"), "the previews still make up this short message")
    }

    @Test func filterAppliesToMessages() {
        var state = session()
        Sessions.keys(&state, .character("m"), .character("f"))
        for character in "dir=s2c" { Sessions.keys(&state, .character(character)) }
        Sessions.keys(&state, .enter)
        // Reply, pong, binary message.
        #expect(state.visibleCount == 3)
        Sessions.keys(&state, .character("m"))
        #expect(state.visibleCount == 4, "frames: reply, pong, two binary fragments")
    }

    @Test func searchInMessagesFindsTextAcrossFragments() {
        var state = session()
        Sessions.keys(&state, .character("m"), .character("G"), .character("/"))
        for character in "re:frag\\w+ WORLD" { Sessions.keys(&state, .character(character)) }
        Sessions.keys(&state, .enter)
        #expect(state.selected == 0, "the words are in different frames of one message")
        #expect(state.notice?.contains("message from frame #1, byte 7") == true)
    }

    @Test(arguments: sizes) func messageList(columns: Int, rows: Int) {
        var state = session(columns, rows)
        Sessions.keys(&state, .character("m"))
        GoldenScreen.assertMatches(state, named: "messages-fragmented")
    }

    @Test(arguments: sizes) func messageDetail(columns: Int, rows: Int) {
        var state = session(columns, rows)
        Sessions.keys(&state, .character("m"), .character("g"), .enter)
        GoldenScreen.assertMatches(state, named: "messages-detail")
    }

    @Test(arguments: sizes) func messageSearchResult(columns: Int, rows: Int) {
        var state = session(columns, rows)
        Sessions.keys(&state, .character("m"), .character("/"))
        for character in "re:repl(y|ied)" { Sessions.keys(&state, .character(character)) }
        Sessions.keys(&state, .enter)
        GoldenScreen.assertMatches(state, named: "messages-search")
    }
}
