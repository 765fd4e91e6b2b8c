import NIOConcurrencyHelpers
import Testing
import WSTapCore
import WSTapSession
import WSTapTestSupport
import WSTapUI

@testable import WSTapRuntime

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

/// The viewer's reading of a recording into the screen's inbox, without a terminal.
@Suite struct RecordingFeedTests {
    /// The text of every notice among `events`.
    private func notices(_ events: [UIEvent]) -> [String] {
        events.compactMap { event in
            guard case .notice(let text) = event else { return nil }
            return text
        }
    }

    /// Batches of 10 with room for 20: the reader stops with 30 events waiting (the batch that went over),
    /// each time, until the screen takes them; every event arrives once, in order, and each frame row knows
    /// its event.
    @Test func theReaderWaitsForTheScreenAndMissesNothing() async throws {
        let files = try RecordingFiles("feed")
        defer { files.remove() }
        let texts = (0..<95).map { "frame \($0)" }
        let path = try files.write("feed.jsonl", [TrafficEvents.opened(1)] + TrafficEvents.texts(texts))
        let reader = try RecordingReader(path: path)
        let inbox = UIEventInbox()
        let rows = RecordedRows()
        let feed = RecordingFeed(reader: reader, filter: RecordingFilter())
        let finished = NIOLockedValueBox(false)
        let feeder = Task {
            await RecordingViewer.feed(feed, to: inbox, rows: rows, batch: 10, readAhead: 20)
            finished.withLockedValue { $0 = true }
        }
        var taken: [TrafficEvent] = []
        var other: [UIEvent] = []
        var stops = 0
        while !finished.withLockedValue({ $0 }) {
            // 180 s: a deadline for a hung reader only (a loaded CI machine took over 60 s here).
            let settled = await waitUntil(within: 180) {
                inbox.waitingForRoomCount == 1 || finished.withLockedValue { $0 }
            }
            #expect(settled, "the reader neither waited nor finished")
            guard settled else {
                // A reader waiting for room that nobody makes would keep `feeder.value` from returning.
                feeder.cancel()
                break
            }
            if inbox.waitingForRoomCount == 1 {
                stops += 1
                #expect(inbox.pendingTrafficCount == 30, "the reader stops one batch past the room it has")
            }
            for event in inbox.drain() {
                if case .traffic(let batch) = event { taken += batch } else { other.append(event) }
            }
        }
        await feeder.value
        for event in inbox.drain() {
            if case .traffic(let batch) = event { taken += batch } else { other.append(event) }
        }
        #expect(stops == 3, "96 events, 30 a time: three stops, then the rest")
        #expect(taken.count == 96)
        #expect(taken.dropFirst().map(TrafficEvents.text(of:)) == texts)
        #expect(notices(other) == ["\(path): 96 of 96 events read"])
        let entries = rows.snapshot
        #expect(entries.count == 95)
        #expect((0..<95).allSatisfy { entries.sequence(at: $0) == $0 && entries.eventIndex(at: $0) == $0 + 1 })
    }

    /// Quitting the viewer (the task cancelled) while the reader waits for room ends the reader.
    @Test func aCancelledReaderStopsWaiting() async throws {
        let files = try RecordingFiles("feed-cancel")
        defer { files.remove() }
        let path = try files.write("feed.jsonl", TrafficEvents.texts((0..<50).map { "f\($0)" }))
        let inbox = UIEventInbox()
        let feed = RecordingFeed(reader: try RecordingReader(path: path), filter: RecordingFilter())
        let feeder = Task { await RecordingViewer.feed(feed, to: inbox, rows: RecordedRows(), batch: 5, readAhead: 5) }
        #expect(await waitUntil(within: 180) { inbox.waitingForRoomCount == 1 })
        feeder.cancel()
        await feeder.value
        #expect(inbox.waitingForRoomCount == 0)
        #expect(inbox.pendingTrafficCount == 10)
    }
}
