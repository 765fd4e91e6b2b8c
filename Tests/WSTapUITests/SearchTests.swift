import NIOCore
import Testing
import WSTapCore

@testable import WSTapUI

/// `/` over whole payloads (while the payload ring holds them) and regular expressions.
@Suite struct SearchTests {
    /// Long payloads whose interesting words come after the 48 preview bytes.
    func session(payloadBytes: Int = 32 << 20) -> UIState {
        var state = UIState(mode: .proxy, payloadBytes: payloadBytes)
        var script = TrafficScript()
        script.open(1)
        script.text(1, .clientToServer, String(repeating: "padding ", count: 10) + "needle in the middle")
        script.text(1, .serverToClient, "short")
        script.text(1, .serverToClient, String(repeating: "x", count: 200) + " order id=4711 shipped")
        script.text(1, .clientToServer, "Needle at the start")
        Sessions.apply(&state, script)
        return state
    }

    func search(_ state: inout UIState, _ text: String) {
        Sessions.keys(&state, .character("/"))
        Sessions.keys(&state, .control("u"))
        for character in text { Sessions.keys(&state, .character(character)) }
        Sessions.keys(&state, .enter)
    }

    @Test func plainTextIsFoundBeyondThePreviewAndIgnoresCase() {
        var state = session()
        Sessions.keys(&state, .home)
        search(&state, "NEEDLE IN")
        #expect(state.selected == 0, "the match is at byte 80, past the preview")
        #expect(state.notice?.contains("byte 80") == true)
        Sessions.keys(&state, .character("n"))
        #expect(state.selected == 0, "the only match: n wraps back to it")
        search(&state, "needle")
        #expect(state.selected == 3)
        Sessions.keys(&state, .character("N"))
        #expect(state.selected == 0)
    }

    @Test func regularExpressionsMatchWholePayloads() {
        var state = session()
        Sessions.keys(&state, .home)
        search(&state, #"re:id=\d+ SHIPPED"#)
        #expect(state.selected == 2)
        #expect(state.notice?.contains("byte 207") == true)
        search(&state, "re:^needle")
        #expect(state.selected == 3, "anchored at the start of the payload, case ignored")
    }

    @Test func aBadRegularExpressionGivesANoticeAndKeepsTheSearch() {
        var state = session()
        search(&state, "short")
        #expect(state.search == "short")
        search(&state, "re:(unclosed")
        #expect(state.search == "short", "the last good search stays")
        #expect(state.notice?.contains("bad regular expression") == true)
        search(&state, "re:")
        #expect(state.notice?.contains("needs a pattern") == true)
    }

    @Test func aRegularExpressionSearchLooksAtABoundedNumberOfRowsPerKey() {
        var state = session()
        state.regexSearchBudget = 2
        Sessions.keys(&state, .home)
        search(&state, "re:^needle")
        #expect(state.selected == 2, "stopped after two rows, on the last one looked at")
        #expect(state.notice?.contains("no match in the 2 rows up to here") == true)
        Sessions.keys(&state, .character("n"))
        #expect(state.selected == 3, "n goes on from there and finds the match")
    }

    @Test func olderFramesAreSearchedByTheirPreviewOnly() {
        var state = session(payloadBytes: 0)
        Sessions.keys(&state, .home)
        search(&state, "needle in")
        #expect(state.selected == 0, "unchanged: the words are past the preview")
        #expect(state.notice?.hasPrefix("not found") == true)
        search(&state, "needle")
        #expect(state.selected == 3)
        #expect(state.notice?.contains("of its preview") == true)
    }

    @Test func thePayloadRingOverwritesTheOldestPayloads() {
        var arena = PayloadArena(capacity: 64)
        let first = arena.store(ByteBuffer(bytes: Array(repeating: 1, count: 10)))
        let second = arena.store(ByteBuffer(bytes: Array(repeating: 2, count: 12)))
        #expect(arena.withPayload(at: first) { Array($0) } == Array(repeating: 1, count: 10))
        #expect(arena.length(at: second) == 12)
        #expect(arena.store(ByteBuffer(bytes: Array(repeating: 3, count: 17))) == -1, "bigger than a quarter")
        var last: Int64 = -1
        for value: UInt8 in 4..<10 { last = arena.store(ByteBuffer(bytes: Array(repeating: value, count: 12))) }
        #expect(arena.withPayload(at: first) { _ in true } == nil, "overwritten")
        #expect(arena.withPayload(at: second) { _ in true } == nil, "overwritten")
        #expect(arena.withPayload(at: last) { Array($0) } == Array(repeating: 9, count: 12))
        #expect(arena.allocatedBytes <= 64)
        var none = PayloadArena(capacity: 0)
        #expect(none.store(ByteBuffer(bytes: [1])) == -1)
    }

    @Test func resendWorksFromThePayloadRingAfterTheRecentFramesAreGone() throws {
        var state = UIState(mode: .proxy, recentFrames: 1)
        var script = TrafficScript()
        script.open(1)
        script.text(1, .clientToServer, "send me again")
        script.text(1, .clientToServer, "newest")
        Sessions.apply(&state, script)
        Sessions.keys(&state, .home)
        #expect(state.recent[0] == nil)
        let expected = try FrameEncoder.encode(.text("send me again", mask: .key(MaskingKey(0x37, 0xfa, 0x21, 0x3d))))
        #expect(
            reduce(&state, .key(.character("R"))) == [
                .inject(connection: 1, direction: .clientToServer, bytes: expected)
            ])
    }
}

/// `/` starts a new search (↑ brings the last one back), and the words a row shows are found too.
@Suite struct SearchPromptTests {
    @Test func slashStartsEmptySoTypingReplacesAndUpRecallsTheLastSearch() {
        var state = SearchTests().session()
        Sessions.keys(&state, .character("/"))
        for character in "private" { Sessions.keys(&state, .character(character)) }
        Sessions.keys(&state, .enter)
        #expect(state.search == "private")
        Sessions.keys(&state, .character("/"))
        #expect(state.prompt?.text == "", "not the last search, to be appended to")
        for character in "done" { Sessions.keys(&state, .character(character)) }
        #expect(state.prompt?.text == "done")
        Sessions.keys(&state, .control("u"), .up)
        #expect(state.prompt?.text == "private", "↑ brings the last search back")
        var grid = CellGrid(size: state.size)
        Sessions.keys(&state, .control("u"))
        render(state, into: &grid)
        #expect(grid.line(state.size.rows - 1).contains("↑ last search"))
    }

    @Test func closeCodeNamesShownInARowAreFound() {
        var state = Sessions.state(120, 40)
        Sessions.apply(&state, Sessions.everyOpcode)
        Sessions.keys(&state, .home)
        SearchTests().search(&state, "normal-closure")
        #expect(state.selected == 17, "the client's close frame, whose row shows 1000 normal-closure")
        #expect(state.notice?.contains("in its row: 1000 normal-closure") == true, "\(state.notice ?? "")")
        SearchTests().search(&state, "re:^1000 normal")
        #expect(state.selected == 18)
        SearchTests().search(&state, "going-away")
        #expect(state.notice?.hasPrefix("not found") == true)
    }
}

/// The marks of intercepted frames and of the frames waiting behind them, and the `?` overlay that lists
/// them.
@Suite struct InterceptMarkTests {
    func markers(_ state: UIState) -> [Character] {
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        return (2..<2 + state.framesHeld).map { grid.line($0).first ?? " " }
    }

    @Test func framesBehindAHeldOneShowWAndADecidedHeldRowShowsH() {
        var state = Sessions.state(120, 40)
        var script = TrafficScript()
        script.open(4)
        script.text(4, .clientToServer, "password=hunter2")
        script.markLast(.held(11))
        script.text(4, .clientToServer, "waits behind it")
        script.text(4, .serverToClient, "other direction")
        Sessions.apply(&state, script)
        #expect(markers(state) == ["H", "w", " "])
        // The user edits the held frame: the proxy reports the replacement; the held row says what became of it.
        var edit = TrafficScript()
        edit.open(4)
        edit.text(4, .clientToServer, "password=xxx")
        edit.markLast(.edited(11))
        _ = reduce(&state, .traffic(Array(edit.events.suffix(1))))
        #expect(markers(state) == ["h", " ", " ", "+"], "no longer held; nothing waits")
        Sessions.keys(&state, .home, .enter)
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        #expect((0..<grid.rows).contains { grid.line($0).contains("held, then edited") })
    }

    @Test func aFrameForwardedFromTheQueueIsMarkedOnceTheProxySaysSo() {
        var state = Sessions.state(120, 40)
        var script = TrafficScript()
        script.open(4)
        script.text(4, .clientToServer, "one")
        script.markLast(.held(11))
        Sessions.apply(&state, script)
        Sessions.keys(&state, .character("I"))
        #expect(reduce(&state, .key(.enter)) == [.decideHeld(holdID: 11, decision: .forward)])
        Sessions.keys(&state, .escape)
        var released = TrafficScript()
        released.open(4)
        released.text(4, .clientToServer, "one")
        released.markLast(.released(11))
        _ = reduce(&state, .traffic(Array(released.events.suffix(1))))
        #expect(markers(state) == ["h", "="], "the queue let it go first; the row still learns its fate")
    }

    @Test func aHeldFrameThatBreaksARuleStillShowsH() {
        var state = Sessions.state(120, 40)
        var script = TrafficScript()
        script.open(4)
        script.unmasked = true
        script.text(4, .clientToServer, "not masked")
        script.markLast(.held(11))
        script.text(4, .clientToServer, "behind it")
        Sessions.apply(&state, script)
        #expect(markers(state) == ["H", "w"], "held and waiting come before ! while they last")
    }

    @Test func theHelpOverlayListsTheMarks() {
        var state = Sessions.state(120, 40)
        Sessions.keys(&state, .character("?"))
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        let text = (0..<grid.rows).map { grid.line($0) }.joined(separator: "\n")
        for entry in [
            "H h       held / was held, decided", "w         waits behind a held one",
            "= x       released / dropped/replaced",
            "+         injected, edited, rewritten", "! ~       violation / read again",
        ] {
            #expect(text.contains(entry), "\(entry)")
        }
    }
}
