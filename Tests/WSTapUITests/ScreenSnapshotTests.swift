import Testing
import WSTapCore
import WSTapUI

/// Golden screens at 80x24 and 120x40, from states built by the pure functions.
@Suite struct ScreenSnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    @Test(arguments: sizes) func emptySession(columns: Int, rows: Int) {
        let state = Sessions.state(columns, rows)
        GoldenScreen.assertMatches(state, named: "empty")
    }

    @Test(arguments: sizes) func frameListWithEveryOpcode(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        Sessions.apply(&state, Sessions.everyOpcode)
        GoldenScreen.assertMatches(state, named: "every-opcode")
    }

    @Test(arguments: sizes) func closeWithReason(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        Sessions.apply(&state, Sessions.everyOpcode)
        // The last frame is the server's close; the detail pane shows its code and reason.
        Sessions.keys(&state, .enter)
        GoldenScreen.assertMatches(state, named: "close-detail")
    }

    @Test(arguments: sizes) func violations(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        Sessions.apply(&state, Sessions.violations)
        Sessions.keys(&state, .character("g"), .character("j"), .character("j"), .enter)
        GoldenScreen.assertMatches(state, named: "violations")
    }

    @Test(arguments: sizes) func detailJSON(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        Sessions.apply(&state, Sessions.payloads)
        Sessions.keys(&state, .character("g"), .enter)
        GoldenScreen.assertMatches(state, named: "detail-json")
    }

    @Test(arguments: sizes) func detailHex(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        Sessions.apply(&state, Sessions.payloads)
        Sessions.keys(
            &state, .character("g"), .character("j"), .enter, .character("v"), .character("v"), .character("v"))
        #expect(state.payloadView == .hex)
        GoldenScreen.assertMatches(state, named: "detail-hex")
    }

    @Test(arguments: sizes) func wideCharacters(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        Sessions.apply(&state, Sessions.payloads)
        Sessions.keys(&state, .up, .enter)
        GoldenScreen.assertMatches(state, named: "wide-characters")
    }

    @Test(arguments: sizes) func help(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        Sessions.apply(&state, Sessions.everyOpcode)
        Sessions.keys(&state, .character("?"))
        GoldenScreen.assertMatches(state, named: "help")
    }

    @Test(arguments: sizes) func connections(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        var script = Sessions.everyOpcode
        script.open(2, subprotocol: "chat.v1")
        script.text(2, .clientToServer, "still open")
        Sessions.apply(&state, script)
        Sessions.keys(&state, .character("c"))
        GoldenScreen.assertMatches(state, named: "connections")
    }

    @Test(arguments: sizes) func interceptQueue(columns: Int, rows: Int) {
        var state = Sessions.state(columns, rows)
        _ = reduce(&state, .interceptChanged(true))
        var script = TrafficScript()
        script.open(4)
        script.text(4, .clientToServer, "held one")
        script.markLast(.held(1))
        script.text(4, .serverToClient, "held two")
        script.markLast(.held(2))
        Sessions.apply(&state, script)
        Sessions.keys(&state, .character("I"))
        GoldenScreen.assertMatches(state, named: "intercept-queue")
    }
}
