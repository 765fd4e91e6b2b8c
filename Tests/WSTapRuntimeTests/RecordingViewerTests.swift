import Testing
import WSTapCore
import WSTapRuntime
import WSTapSession

/// `wstap view --dir s2c` (or `--opcode`, `--grep`) in the UI: the connections still open and close.
@Suite struct RecordingViewerFilterTests {
    @Test func aFrameFilterKeepsItsConnectionsOpeningAndClosing() throws {
        let at = TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0)
        let closed = TrafficEvent.connectionClosed(
            .init(
                connection: 3, closedBy: .client, clientCloseCode: .normalClosure, serverCloseCode: .normalClosure,
                closeReason: "", wasClean: true, error: nil, at: at))
        var filter = RecordingFilter(direction: .serverToClient)
        #expect(!filter.matches(closed), "the --jsonl output keeps frames only")
        #expect(RecordingViewer.shows(closed, filter: filter), "the screen needs it to show the connection closed")
        filter.connection = 4
        #expect(!RecordingViewer.shows(closed, filter: filter), "not for a connection the filter leaves out")
        #expect(
            !RecordingViewer.shows(
                .note(connection: 3, text: "x", at: at), filter: RecordingFilter(direction: .clientToServer)))
    }
}
