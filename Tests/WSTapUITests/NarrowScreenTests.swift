import Testing
import WSTapCore

@testable import WSTapUI

/// Screens narrower than 80 columns: columns drop in order, nothing overlaps, overlays fit.
@Suite struct NarrowScreenTests {
    @Test func frameList60x20() {
        var state = Sessions.state(60, 20)
        Sessions.apply(&state, Sessions.everyOpcode)
        GoldenScreen.assertMatches(state, named: "every-opcode")
    }

    @Test func detailPane60x20() {
        var state = Sessions.state(60, 20)
        Sessions.apply(&state, Sessions.payloads)
        Sessions.keys(
            &state, .character("g"), .character("j"), .enter, .character("v"), .character("v"), .character("v"))
        #expect(state.payloadView == .hex)
        GoldenScreen.assertMatches(state, named: "detail-hex")
    }

    @Test func messageList60x20() {
        var state = Sessions.state(60, 20)
        Sessions.apply(&state, Sessions.fragmentedMessages)
        Sessions.keys(&state, .character("m"))
        GoldenScreen.assertMatches(state, named: "messages-fragmented")
    }

    @Test func columnsDropInOrderAndNeverOverlap() {
        let full = ListColumns(width: 80, messages: false)
        #expect(full[.mask] == 42)
        #expect(full.preview == 60)
        let sixty = ListColumns(width: 60, messages: false)
        #expect(sixty[.mask] == nil && sixty[.rsv] == nil && sixty[.fin] == nil && sixty[.time] == nil)
        #expect(sixty[.connection] != nil)
        #expect(sixty.preview >= 60 - 28)
        let forty = ListColumns(width: 40, messages: false)
        #expect(forty[.connection] == nil)
        #expect(forty[.opcode] != nil && forty[.length] != nil && forty[.arrow] != nil)
        for width in [40, 50, 60, 70, 79, 80, 120] {
            for messages in [false, true] {
                let columns = ListColumns(width: width, messages: messages)
                let shown = ListColumns.Kind.allCases.compactMap { kind in columns[kind].map { (kind, $0) } }
                    .sorted { $0.1 < $1.1 }
                for (left, right) in zip(shown, shown.dropFirst()) {
                    #expect(left.1 + left.0.width < right.1, "\(left.0) runs into \(right.0) at \(width)")
                }
                let nothingLeftToDrop = ListColumns.dropOrder.allSatisfy { columns[$0] == nil }
                #expect(width - columns.preview >= ListColumns.minimumPreview || nothingLeftToDrop)
            }
        }
    }

    @Test func aNarrowRowShowsItsOpcodeLengthAndPreview() {
        var state = Sessions.state(40, 12)
        Sessions.apply(&state, Sessions.everyOpcode)
        Sessions.keys(&state, .character("g"))
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        let line = grid.line(2)
        #expect(line.contains("text"))
        #expect(line.contains("5"))
        #expect(line.contains("\"Hello\""))
    }

    /// Every overlay, prompt and pane at tiny and narrow sizes: no crash, and boxes stay closed.
    @Test(arguments: [(20, 6), (40, 12), (60, 20)]) func everyOverlayFits(columns: Int, rows: Int) {
        let screens: [(String, [Key])] = [
            ("list", []), ("detail", [.enter]), ("detail focused", [.enter, .tab, .pageDown]),
            ("help", [.character("?")]), ("connections", [.character("c")]), ("queue", [.character("I")]),
            ("search prompt", [.character("/")] + "re:abc".map { .character($0) }),
            ("filter prompt", [.character("f")]), ("record prompt", [.character("r")]),
            ("messages", [.character("m")]), ("message detail", [.character("m"), .character("g"), .enter]),
            ("hex", [.enter, .character("v"), .character("v"), .character("v")]),
        ]
        for (name, keys) in screens {
            var state = Sessions.state(columns, rows)
            Sessions.apply(&state, Sessions.everyOpcode, ticks: false)
            Sessions.apply(&state, Sessions.fragmentedMessages)
            for key in keys { _ = reduce(&state, .key(key)) }
            var grid = CellGrid(size: state.size)
            render(state, into: &grid)
            let text = grid.text()
            #expect(text.split(separator: "\n").count == rows, "\(name) at \(columns)x\(rows)")
            if columns < 40 {
                #expect(text.contains("40x8"), "\(name): a tiny terminal says what it needs")
                continue
            }
            if name == "help" {
                let top = (0..<rows).first { grid.line($0).contains("┌") }
                let bottom = (0..<rows).last { grid.line($0).contains("└") }
                #expect(top.map { grid.line($0).contains("┐") } == true, "help box closed at \(columns)x\(rows)")
                #expect(bottom.map { grid.line($0).contains("┘") } == true, "help box closed at \(columns)x\(rows)")
            }
            #expect(!grid.line(rows - 1).isEmpty, "\(name): the hint bar is drawn")
        }
    }
}
