import Testing
import WSTapCore

@testable import WSTapUI

/// The one-line hint bar: the most useful keys first, whole hints only, `m messages` at 80 columns too.
@Suite struct HintBarTests {
    func hintBar(_ mode: SessionMode, _ columns: Int) -> String {
        var state = Sessions.state(columns, 24, mode: mode)
        Sessions.apply(&state, Sessions.everyOpcode)
        var grid = CellGrid(size: ScreenSize(columns: columns, rows: 24))
        render(state, into: &grid)
        return grid.line(23)
    }

    @Test(arguments: [SessionMode.proxy, .forward, .client, .server, .viewer], [80, 120])
    func messagesAndHelpShowAtEightyAndOneHundredTwentyColumns(mode: SessionMode, columns: Int) {
        let bar = hintBar(mode, columns)
        for hint in ["q quit", "? help", "Enter detail", "/ search", "n/N next", "m messages"] {
            #expect(bar.contains(hint), "\(mode) at \(columns): \(bar)")
        }
        // Whole hints only, none cut short.
        let known = Set(HintBar.hints(Sessions.state(columns, 24, mode: mode)))
        let shown = bar.split(separator: "  ").map { String($0.drop { $0 == " " }) }
        #expect(shown.allSatisfy { known.contains($0) }, "\(shown)")
    }

    @Test func theViewerLeavesOutKeysARecordingCannotUse() {
        let bar = hintBar(.viewer, 120)
        for hint in ["x craft", "i intercept", "r record", "e edit"] {
            #expect(!bar.contains(hint), "\(bar)")
        }
        #expect(bar.contains("c conns") && bar.contains("G follow"))
        #expect(hintBar(.client, 80).contains("s send"))
        #expect(hintBar(.proxy, 120).contains("i intercept"))
    }
}
