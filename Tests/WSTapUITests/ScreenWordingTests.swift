import NIOCore
import Testing
import WSTapCore

@testable import WSTapUI

/// Small things the screen says: fields left out whole rather than cut, cuts marked with `…`, counts with
/// the right plural, the words for what happened to a frame.
@Suite struct ScreenWordingTests {
    func screen(_ state: UIState) -> CellGrid {
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        return grid
    }

    @Test func theStatusBarLeavesOutTheUpstreamURLRatherThanCutIt() {
        for columns in [50, 80, 120] {
            var state = Sessions.state(columns, 24)
            Sessions.apply(&state, Sessions.everyOpcode)
            let bar = screen(state).line(0)
            #expect(
                bar.contains("→ ws://127.0.0.1:9001") || !bar.contains("→"), "\(columns) columns: \(bar)")
            #expect(!bar.contains(" w "), "\(columns) columns: no stray piece of the URL: \(bar)")
        }
        var long = UIState(
            mode: .proxy, listenAddress: "127.0.0.1:8080", upstream: "ws://127.0.0.1:9001/a/long/prefix/path",
            size: ScreenSize(columns: 120, rows: 24))
        Sessions.apply(&long, Sessions.everyOpcode)
        #expect(screen(long).line(0).contains("→ ws://127.0.0.1:9001/…"), "the path goes first")
    }

    /// The recording falls behind the traffic (the sources stopped reading) and catches up: the status bar
    /// says so meanwhile; a recording stopped or started again is not behind.
    @Test func theStatusBarShowsARecordingBehindTheTraffic() {
        var state = Sessions.state(120, 24)
        _ = reduce(&state, .recordingChanged(path: "out.jsonl"))
        #expect(screen(state).line(0).contains("● REC out.jsonl"))
        _ = reduce(&state, .recordingBehind(true))
        #expect(screen(state).line(0).contains("● REC behind out.jsonl"), "\(screen(state).line(0))")
        _ = reduce(&state, .recordingBehind(false))
        #expect(screen(state).line(0).contains("● REC out.jsonl"))
        _ = reduce(&state, .recordingBehind(true))
        _ = reduce(&state, .recordingChanged(path: nil))
        #expect(!screen(state).line(0).contains("REC"))
        // A late word from a recording that was stopped does not show a recording.
        _ = reduce(&state, .recordingBehind(true))
        #expect(!screen(state).line(0).contains("REC"))
        _ = reduce(&state, .recordingChanged(path: "again.jsonl"))
        #expect(screen(state).line(0).contains("● REC again.jsonl"))
    }

    @Test func theConnectionsListShowsALongCloseReasonWhole() {
        var state = Sessions.state(120, 40)
        var script = TrafficScript()
        script.open(1)
        let reason = "the server is going down for maintenance; come back in ten minutes please"
        script.close(1, clientCode: .goingAway, serverCode: .goingAway, reason: reason)
        Sessions.apply(&state, script)
        Sessions.keys(&state, .character("c"))
        let grid = screen(state)
        let text = (0..<grid.rows).map { grid.line($0) }.joined(separator: "\n")
        #expect(grid.line(2).hasSuffix("…"), "the row marks its cut: \(grid.line(2))")
        #expect(text.contains("come back in ten minutes please"), "the whole reason, below the list")
    }

    @Test func aBinaryPreviewCutByTheScreenEndsWithAnEllipsis() {
        var state = Sessions.state(80, 24)
        var script = TrafficScript()
        script.open(1)
        script.frame(1, .serverToClient, FrameSpec(opcode: .binary, payload: Array(0..<UInt8(40))))
        Sessions.apply(&state, script)
        let row = screen(state).line(2)
        #expect(row.contains("hex:000102"))
        #expect(row.hasSuffix("…"), "\(row)")
    }

    @Test func theViewerShowsNoRatesForARecording() {
        var state = UIState(mode: .viewer, upstream: "session.jsonl", size: ScreenSize(columns: 120, rows: 40))
        Sessions.apply(&state, Sessions.everyOpcode)
        let bar = screen(state).line(0)
        #expect(!bar.contains("f/s"), "\(bar)")
        #expect(!bar.contains("B/s"), "\(bar)")
    }

    @Test func theRecordPromptOffersAJSONLinesFile() {
        var state = Sessions.state(80, 24)
        Sessions.apply(&state, Sessions.everyOpcode)
        Sessions.keys(&state, .character("r"))
        #expect(state.prompt?.text.hasSuffix(".jsonl") == true, "\(state.prompt?.text ?? "")")
    }

    @Test func anEndpointsFramesAreSentOrReceivedNotRelayed() {
        var state = ClientModeTests.clientSession(120, 40)
        Sessions.keys(&state, .home, .enter)
        #expect(screen(state).line(state.layout.detailTitleRow).contains("· sent ·"))
        Sessions.keys(&state, .down)
        #expect(screen(state).line(state.layout.detailTitleRow).contains("· received ·"))
    }

    /// The detail title at 80 columns names the view whole or not at all (it showed `view a` and `view he`).
    @Test func theDetailTitleNamesTheViewWholeOrNotAtAll() {
        for columns in [80, 120] {
            var state = Sessions.state(columns, 24)
            Sessions.apply(&state, Sessions.everyOpcode)
            Sessions.keys(&state, .home, .enter)
            let title = screen(state).line(state.layout.detailTitleRow)
            #expect(title.contains("· view auto") || !title.contains("· view"), "\(columns) columns: \(title)")
        }
    }

    @Test func oneByteIsOneByte() {
        var state = Sessions.state(120, 40)
        var script = TrafficScript()
        script.open(1)
        script.text(1, .serverToClient, "a")
        Sessions.apply(&state, script)
        Sessions.keys(&state, .enter)
        let grid = screen(state)
        let text = (0..<grid.rows).map { grid.line($0) }.joined(separator: "\n")
        #expect(text.contains("Payload 1 byte"), "\(text)")
        #expect(!text.contains("1 bytes"))
    }

    @Test func hybi00ViolationsCiteTheHybi00Draft() {
        var state = Sessions.state(120, 40)
        var script = TrafficScript()
        script.open(6, variant: .hybi00, framing: .old)
        script.bytes(6, .serverToClient, [0x00, 0xC3, 0x28, 0xFF])  // text that is not UTF-8
        Sessions.apply(&state, script)
        Sessions.keys(&state, .enter)
        let grid = screen(state)
        let text = (0..<grid.rows).map { grid.line($0) }.joined(separator: "\n")
        #expect(text.contains("[draft-ietf-hybi-thewebsocketprotocol-00 4.2]"), "\(text)")
        #expect(!text.contains("RFC 6455"))
    }
}
