import Testing
import WSTapCore

@testable import WSTapUI

@Suite struct FrameStoreTests {
    @Test func theRingKeepsTheNewestFramesAndTheirPreviews() {
        var state = UIState(mode: .proxy, frameCapacity: 4, recentFrames: 2)
        var script = TrafficScript()
        script.open(1)
        for index in 0..<10 {
            script.text(1, .serverToClient, "message \(index) " + String(repeating: "x", count: 100))
        }
        _ = reduce(&state, .traffic(script.events))
        #expect(state.framesSeen == 10)
        #expect(state.framesHeld == 4)
        #expect(state.frames.firstSequence == 6)
        #expect(String(decoding: state.frames.preview(6), as: UTF8.self).hasPrefix("message 6 "))
        #expect(state.frames.preview(6).count == FrameStore.previewCapacity)
        #expect(state.recent[9] != nil)
        #expect(state.recent[7] == nil, "only the two newest frames keep their whole payload")
        #expect(state.selected == 9)
        Sessions.keys(&state, .home)
        #expect(state.selected == 6)
    }

    @Test func anOldFramesDetailSaysItsPayloadIsNotHeld() {
        var state = UIState(
            mode: .proxy, size: ScreenSize(columns: 120, rows: 40), frameCapacity: 10, recentFrames: 1, payloadBytes: 0)
        var script = TrafficScript()
        script.open(1)
        script.text(1, .serverToClient, String(repeating: "old ", count: 40))
        script.text(1, .serverToClient, "new")
        _ = reduce(&state, .traffic(script.events))
        Sessions.keys(&state, .up, .enter)
        var grid = CellGrid(columns: 120, rows: 40)
        render(state, into: &grid)
        let screen = grid.text()
        #expect(screen.contains("only the first 48 kept for older frames"))
        #expect(screen.contains("the payload is no longer held"))
    }

    @Test func prettyJSONKeepsMemberOrderAndRejectsNonJSON() {
        #expect(
            JSONPretty.lines(Array(#"{"b":1,"a":[true,null]}"#.utf8)) == [
                "{", #"  "b": 1,"#, #"  "a": ["#, "    true,", "    null", "  ]", "}",
            ])
        #expect(JSONPretty.lines(Array("{\"a\":}".utf8)) == nil)
        #expect(JSONPretty.lines(Array("[1] x".utf8)) == nil)
        #expect(JSONPretty.lines(Array(String(repeating: "[", count: 100).utf8)) == nil)
    }

    @Test func hexDumpHasOffsetsAndPrintableColumn() {
        let lines = HexDump.lines(Array("Hello, world! 0123456789".utf8))
        #expect(lines.count == 2)
        #expect(lines[0] == "00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 20 30 31  |Hello, world! 01|")
        #expect(lines[1].hasPrefix("00000010  32 33 34 35 36 37 38 39"))
    }
}
