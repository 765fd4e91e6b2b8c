import Testing
import WSTapCore
import WSTapLenses

@testable import WSTapUI

/// The lenses on screen: the list's preview is the lens's summary, the detail pane the decoded fields
/// over the raw payload, `a` jumps between a request and its answer, `l` shows the raw payloads, `L`
/// changes a connection's lens, `S` opens the statistics view.
@Suite struct LensScreenTests {
    static let sizes = [(80, 24), (120, 40)]

    func session(_ script: TrafficScript, _ columns: Int = 120, _ rows: Int = 40) -> UIState {
        LensSessions.session(script, columns, rows)
    }

    /// The text of the rendered screen.
    func screen(_ state: UIState) -> String {
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        return grid.text()
    }

    /// Each protocol's rows, with the detail of one message: the golden screen's name, and how many rows
    /// below the first that message is.
    static let details: [(name: String, rowsDown: Int)] = [
        ("socketio", 4),  // the event `add` with ack id 12
        ("mqtt", 4),  // the QoS 1 PUBLISH
        ("graphql", 2),  // the subscription
        ("jsonrpc", 4),  // the error answering `divide`
        ("stomp", 3),  // the SEND with a receipt
        ("signalr", 2),  // the invocation of Add
        ("phoenix", 2),  // the push new_msg
        ("actioncable", 3),  // the action speak
        ("binary", 2),  // protobuf without a schema (MessagePack and CBOR above it)
    ]

    @Test(arguments: details, sizes) func rowsAndDetail(detail: (name: String, rowsDown: Int), size: (Int, Int)) throws
    {
        let script = try #require(LensSessions.named[detail.name])
        var state = session(script, size.0, size.1)
        Sessions.keys(&state, .character("g"))
        for _ in 0..<detail.rowsDown { Sessions.keys(&state, .character("j")) }
        Sessions.keys(&state, .enter)
        GoldenScreen.assertMatches(state, named: "lens-" + detail.name)
    }

    @Test(arguments: sizes) func statisticsView(columns: Int, rows: Int) {
        var state = LensSessions.session(LensSessions.socketIO, columns, rows, ticks: false)
        var script = LensSessions.jsonRPC
        Sessions.apply(&state, script, ticks: false)
        // Seconds of traffic for the charts: the clock ticks between batches.
        for second in 0..<12 {
            _ = reduce(&state, .tick(wallSeconds: 1_795_615_200 + Double(second)))
            let before = script.events.count
            for _ in 0..<(second % 5) { script.text(4, .clientToServer, "{\"jsonrpc\":\"2.0\",\"method\":\"log\"}") }
            _ = reduce(&state, .traffic(Array(script.events[before...])))
        }
        Sessions.keys(&state, .character("S"))
        #expect(state.overlay == .statistics)
        GoldenScreen.assertMatches(state, named: "lens-statistics")
    }

    @Test func previewIsTheLensSummaryAndLShowsTheRawPayload() {
        var state = session(LensSessions.socketIO)
        #expect(screen(state).contains("sio EVENT chat [{\"m\":\"hi\"}]"))
        #expect(!screen(state).contains(#"42[\"chat\""#))
        Sessions.keys(&state, .character("l"))
        #expect(screen(state).contains(#"42[\"chat\",{\"m\":\"hi\"}]"#))
        #expect(!screen(state).contains("sio EVENT chat"))
        Sessions.keys(&state, .character("l"))
        #expect(screen(state).contains("sio EVENT chat"))
    }

    @Test func aJumpsFromARequestToItsAnswerAndBack() throws {
        var state = session(LensSessions.socketIO)
        // Row 5 is `4212["add",1,2]`, row 8 its ack `4312[3]`.
        Sessions.keys(&state, .character("g"), .character("j"), .character("j"), .character("j"), .character("j"))
        #expect(state.selected == 4)
        Sessions.keys(&state, .character("a"))
        #expect(state.selected == 7)
        // The script's clock moves a quarter second per event (in floating point).
        let latency = try #require(state.lenses.row(7)?.latencyNanoseconds)
        #expect((749_999_000...750_001_000).contains(latency))
        Sessions.keys(&state, .character("a"))
        #expect(state.selected == 4)
        // A row with no partner stays and says why.
        Sessions.keys(&state, .character("k"), .character("a"))
        #expect(state.selected == 3)
        #expect(state.notice?.contains("pairs with no other") == true)
    }

    @Test func aPacketThatContinuesInLaterMessagesShowsOnItsFirstRow() {
        let state = session(LensSessions.socketIO)
        // Row 9 announces a binary event, row 10 is its attachment: both show the event.
        #expect(state.lenses.row(8)?.views.first?.summary.hasPrefix("BINARY_EVENT upload") == true)
        #expect(state.lenses.row(9)?.views.first?.summary.hasPrefix("BINARY_EVENT upload") == true)
    }

    @Test func messagesOfSeveralFramesAreReadWhole() {
        var script = TrafficScript()
        script.open(1, target: "ws://h/socket.io/?EIO=4", path: "/socket.io/?EIO=4&transport=websocket")
        script.frame(1, .clientToServer, FrameSpec(fin: false, opcode: .text, payload: Array("42[\"ch".utf8)))
        script.frame(1, .serverToClient, FrameSpec(opcode: .ping, payload: []))
        script.frame(1, .clientToServer, FrameSpec(fin: true, opcode: .continuation, payload: Array("at\",1]".utf8)))
        var state = session(script)
        #expect(state.lenses.row(0)?.views.first?.summary == "EVENT chat [1]")
        Sessions.keys(&state, .character("m"))
        #expect(screen(state).contains("sio EVENT chat [1]"))
    }

    @Test func changingTheLensOfAConnectionReadsItsNextMessages() {
        var script = TrafficScript()
        script.open(1)
        script.text(1, .clientToServer, "hello")
        var state = session(script)
        #expect(state.lenses.row(0) == nil)
        Sessions.keys(&state, .character("L"))
        #expect(state.notice?.contains("lens socketio") == true)
        var before = script.events.count
        script.text(1, .clientToServer, "42[\"x\"]")
        _ = reduce(&state, .traffic(Array(script.events[before...])))
        #expect(state.lenses.row(1)?.lens == "socketio")
        #expect(screen(state).contains("sio EVENT x []"))
        // Then mqtt, ... and none: the next message is not read.
        for _ in 0..<LensRegistry.names.count { Sessions.keys(&state, .character("L")) }
        #expect(state.notice?.contains("lens none") == true)
        before = script.events.count
        script.text(1, .clientToServer, "42[\"x\"]")
        _ = reduce(&state, .traffic(Array(script.events[before...])))
        #expect(state.lenses.row(2) == nil)
    }

    @Test func aRequestWithoutAnswerIsMarkedWhenTheClockRunsOut() {
        var state = session(LensSessions.socketIO)
        let slow = state.framesSeen - 1
        #expect(state.lenses.row(slow)?.unanswered == false)
        // 31 seconds later, with no traffic in between: the tick alone finds it.
        _ = reduce(&state, .tick(wallSeconds: 1_795_615_200 + 40))
        #expect(state.lenses.row(slow)?.unanswered == true)
        #expect(state.notes.contains { $0.contains("no answer to socketio \"EVENT slow [] ack=13\"") })
        #expect(screen(state).contains("(no answer)"))
    }

    @Test func statisticsSortsMethodsAndGoesToTheSlowestCall() {
        var state = session(LensSessions.jsonRPC)
        Sessions.keys(&state, .character("S"))
        #expect(state.sortedMethods.first?.method == "add" || state.sortedMethods.first?.count == 1)
        Sessions.keys(&state, .character("s"))
        #expect(state.statisticsSort == .bytes)
        #expect(screen(state).contains("bytes▼"))
        Sessions.keys(&state, .character("t"))
        #expect(screen(state).contains("slowest calls"))
        #expect(state.lenses.slowest.count == 4)
        Sessions.keys(&state, .enter)
        #expect(state.overlay == nil)
        #expect(state.detailOpen)
        #expect(state.selected == state.lenses.slowest.first?.request)
    }

    @Test func lensesOffLeaveTheScreenAsItWas() {
        let off = LensSessions.session(LensSessions.socketIO, lenses: .off)
        #expect(off.lenses.row(3) == nil)
        #expect(screen(off).contains(#"42[\"chat\",{\"m\":\"hi\"}]"#))
        #expect(!screen(off).contains("sio "))
    }
}
