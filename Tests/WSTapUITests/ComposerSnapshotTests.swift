import Testing
import WSTapCore
import WSTapUI

/// Golden screens of the composer at 80x24 and 120x40 (random keys from a fixed seed).
@Suite struct ComposerSnapshotTests {
    @Test(arguments: ScreenSnapshotTests.sizes) func emptyComposer(columns: Int, rows: Int) {
        var state = ComposerTests.session(columns, rows)
        Sessions.keys(&state, .home, .character("x"))
        GoldenScreen.assertMatches(state, named: "composer-empty")
    }

    @Test(arguments: ScreenSnapshotTests.sizes) func closeWithCodeAndReason(columns: Int, rows: Int) {
        var state = ComposerTests.session(columns, rows)
        Sessions.keys(&state, .character("x"))
        ComposerTests.focus(&state, .opcode)
        for _ in 0..<7 { Sessions.keys(&state, .right) }
        ComposerTests.focus(&state, .closeCode)
        ComposerTests.type(&state, "1001")
        ComposerTests.focus(&state, .closeReason)
        ComposerTests.type(&state, "going away")
        GoldenScreen.assertMatches(state, named: "composer-close")
    }

    @Test(arguments: ScreenSnapshotTests.sizes) func fragmentedMaskedText(columns: Int, rows: Int) {
        var state = ComposerTests.session(columns, rows)
        Sessions.keys(&state, .home, .character("x"))
        ComposerTests.focus(&state, .fragments)
        Sessions.keys(&state, .right, .right)
        ComposerTests.focus(&state, .payload)
        ComposerTests.type(&state, "a message in three fragments, each with its own key")
        GoldenScreen.assertMatches(state, named: "composer-fragmented")
    }

    @Test(arguments: ScreenSnapshotTests.sizes) func editOfAHeldFrame(columns: Int, rows: Int) {
        var state = ComposerTests.session(columns, rows)
        _ = reduce(&state, .interceptChanged(true))
        var script = TrafficScript()
        script.open(4)
        script.text(4, .clientToServer, "password=hunter2")
        script.markLast(.held(1))
        Sessions.apply(&state, script)
        Sessions.keys(&state, .character("I"), .character("e"))
        ComposerTests.focus(&state, .payload)
        for _ in 0..<7 { Sessions.keys(&state, .backspace) }
        ComposerTests.type(&state, "xxx")
        GoldenScreen.assertMatches(state, named: "composer-edit-held")
    }
}
