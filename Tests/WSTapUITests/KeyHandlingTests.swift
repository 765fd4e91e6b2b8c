import Testing
import WSTapCore
import WSTapUI

/// The keys, through the pure update function.
@Suite struct KeyHandlingTests {
    func session() -> UIState {
        var state = Sessions.state(80, 24)
        Sessions.apply(&state, Sessions.everyOpcode)
        return state
    }

    @Test func followsNewFramesUntilTheUserMovesAway() {
        var state = session()
        #expect(state.following)
        #expect(state.selected == state.framesSeen - 1)
        Sessions.keys(&state, .up)
        #expect(!state.following)
        let selected = state.selected
        var more = TrafficScript()
        more.open(9)
        more.text(9, .clientToServer, "later")
        _ = reduce(&state, .traffic(more.events))
        #expect(state.selected == selected, "the cursor stays where the user put it")
        Sessions.keys(&state, .character("G"))
        #expect(state.following)
        #expect(state.selected == state.framesSeen - 1)
    }

    @Test func arrowsAndVimKeysMoveTheCursor() {
        var state = session()
        let last = state.framesSeen - 1
        Sessions.keys(&state, .character("k"), .character("k"), .up)
        #expect(state.selected == last - 3)
        Sessions.keys(&state, .character("j"), .down)
        #expect(state.selected == last - 1)
        Sessions.keys(&state, .character("g"))
        #expect(state.selected == 0)
        Sessions.keys(&state, .up)
        #expect(state.selected == 0, "the cursor stops at the first frame")
        Sessions.keys(&state, .end)
        #expect(state.selected == last)
        Sessions.keys(&state, .home)
        #expect(state.selected == 0)
    }

    @Test func pagesMoveByTheListHeight() {
        var state = session()
        Sessions.keys(&state, .home, .pageDown)
        let page = state.selected ?? 0
        #expect(page > 5)
        Sessions.keys(&state, .pageDown, .pageDown, .pageDown)
        #expect(state.selected == state.framesSeen - 1)
        Sessions.keys(&state, .pageUp)
        #expect(state.selected == state.framesSeen - 1 - page)
    }

    @Test func enterOpensAndEscapeClosesTheDetailPane() {
        var state = session()
        Sessions.keys(&state, .enter)
        #expect(state.detailOpen)
        Sessions.keys(&state, .tab)
        #expect(state.detailFocused)
        Sessions.keys(&state, .escape)
        #expect(!state.detailFocused)
        #expect(state.detailOpen)
        Sessions.keys(&state, .escape)
        #expect(!state.detailOpen)
    }

    @Test func qQuitsAndQuestionMarkShowsHelp() {
        var state = session()
        #expect(reduce(&state, .key(.character("?"))).isEmpty)
        #expect(state.overlay == .help)
        #expect(reduce(&state, .key(.escape)).isEmpty)
        #expect(state.overlay == nil)
        #expect(reduce(&state, .key(.character("q"))) == [.quit])
    }

    @Test func searchFindsPayloadTextAndNNGoBothWays() {
        var state = session()
        Sessions.keys(&state, .home, .character("/"))
        for character in "HELLO" { Sessions.keys(&state, .character(character)) }
        #expect(state.prompt?.text == "HELLO")
        Sessions.keys(&state, .enter)
        #expect(state.prompt == nil)
        #expect(state.search == "HELLO")
        #expect(state.selected == 1, "the next match after the first frame, case folded")
        Sessions.keys(&state, .character("n"))
        #expect(state.selected == 0, "n wraps to the first match")
        Sessions.keys(&state, .character("N"))
        #expect(state.selected == 1)
    }

    @Test func typedKeysGoToThePromptNotTheList() {
        var state = session()
        Sessions.keys(&state, .character("/"), .character("q"), .character("j"))
        #expect(state.prompt?.text == "qj")
        Sessions.keys(&state, .backspace)
        #expect(state.prompt?.text == "q")
        #expect(reduce(&state, .key(.escape)).isEmpty)
        #expect(state.prompt == nil)
    }

    @Test func filterShowsOnlyMatchingFrames() {
        var state = session()
        Sessions.keys(&state, .character("f"))
        for character in "dir=s2c op=text" { Sessions.keys(&state, .character(character)) }
        Sessions.keys(&state, .enter)
        #expect(state.filter?.direction == .serverToClient)
        Sessions.keys(&state, .home)
        #expect(state.selected == 1)
        Sessions.keys(&state, .down)
        #expect(state.selected == 1, "only one server text frame")
        Sessions.keys(&state, .escape)
        #expect(state.filter == nil)
    }

    @Test func badFilterWordsLeaveTheFilterAlone() {
        var state = session()
        Sessions.keys(&state, .character("f"))
        for character in "dir=up" { Sessions.keys(&state, .character(character)) }
        Sessions.keys(&state, .enter)
        #expect(state.filter == nil)
        #expect(state.notice?.contains("dir=up") == true)
    }

    @Test func interceptAndRecordingAreEffects() {
        var state = session()
        #expect(reduce(&state, .key(.character("i"))) == [.setIntercept(true)])
        #expect(reduce(&state, .key(.character("r"))).isEmpty)
        #expect(state.prompt?.purpose == .recordingPath)
        Sessions.keys(&state, .control("u"))
        for character in "out.wstap" { Sessions.keys(&state, .character(character)) }
        #expect(reduce(&state, .key(.enter)) == [.startRecording(path: "out.wstap")])
        _ = reduce(&state, .recordingChanged(path: "out.wstap"))
        #expect(state.recordingPath == "out.wstap")
        #expect(reduce(&state, .key(.character("r"))) == [.stopRecording])
    }

    @Test func resendInjectsTheSelectedFramesWireBytes() throws {
        var state = session()
        Sessions.keys(&state, .home)
        let effects = reduce(&state, .key(.character("R")))
        let expected = try FrameEncoder.encode(.text("Hello", mask: .key(MaskingKey(0x37, 0xfa, 0x21, 0x3d))))
        #expect(effects == [.inject(connection: 1, direction: .clientToServer, bytes: expected)])
    }

    @Test func interceptQueueForwardsAndDrops() {
        var state = Sessions.state(80, 24)
        var script = TrafficScript()
        script.open(4)
        script.text(4, .clientToServer, "one")
        script.markLast(.held(11))
        script.text(4, .clientToServer, "two")
        script.markLast(.held(12))
        Sessions.apply(&state, script)
        #expect(state.heldHoldIDs == [11, 12])
        Sessions.keys(&state, .character("I"))
        #expect(reduce(&state, .key(.character("x"))) == [.decideHeld(holdID: 11, decision: .drop)])
        #expect(reduce(&state, .key(.enter)) == [.decideHeld(holdID: 12, decision: .forward)])
        #expect(state.heldHoldIDs.isEmpty)
    }

    @Test func framingToggleOnlyForHybi00Connections() {
        var state = session()
        #expect(reduce(&state, .key(.character("o"))).isEmpty)
        var script = TrafficScript()
        script.open(5, variant: .hybi00)
        script.bytes(5, .clientToServer, [0x00] + Array("hi".utf8) + [0xff])
        _ = reduce(&state, .traffic(script.events))
        Sessions.keys(&state, .character("G"))
        #expect(reduce(&state, .key(.character("o"))) == [.setFraming(connection: 5, framing: .new)])
        #expect(state.connections[5]?.framing == .new)
    }

    @Test func pauseFreezesTheListAndGResumes() {
        var state = session()
        let shown = state.selected
        Sessions.keys(&state, .character("p"))
        #expect(state.pausedAt != nil)
        var more = TrafficScript()
        more.open(9)
        more.text(9, .clientToServer, "later")
        _ = reduce(&state, .traffic(more.events))
        #expect(state.selected == shown)
        Sessions.keys(&state, .character("p"))
        #expect(state.selected == state.framesSeen - 1)
    }

    @Test func resizeKeepsTheCursorVisible() {
        var state = session()
        Sessions.keys(&state, .home)
        _ = reduce(&state, .resize(ScreenSize(columns: 50, rows: 9)))
        var grid = CellGrid(columns: 50, rows: 9)
        render(state, into: &grid)
        #expect(grid.line(2).contains("text"))
        #expect(grid[2, 5].style.attributes.contains(.reverse))
    }

    @Test func tooSmallTerminalSaysSo() {
        var state = session()
        _ = reduce(&state, .resize(ScreenSize(columns: 20, rows: 5)))
        var grid = CellGrid(columns: 20, rows: 5)
        render(state, into: &grid)
        #expect(grid.line(0).hasPrefix("terminal too small"))
    }
}
