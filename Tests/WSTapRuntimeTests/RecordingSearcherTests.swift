import NIOConcurrencyHelpers
import Testing
import WSTapCore
import WSTapSession
import WSTapTestSupport
import WSTapUI

@testable import WSTapRuntime

/// The viewer's search over the recording on disk (`/`, `n`, `N`), without a terminal: which row it finds,
/// from where, in which direction, and when it wraps round.
@Suite struct RecordingSearcherTests {
    /// A recording of 20 frames whose payloads say `needle` at frames 5 and 15 only, read into rows as the
    /// viewer reads it, and a searcher over it.
    private struct Viewer {
        let files: RecordingFiles
        let inbox = UIEventInbox()
        let rows = RecordedRows()
        let searcher: RecordingSearcher

        init() async throws {
            files = try RecordingFiles("search")
            let texts = (0..<20).map { [5, 15].contains($0) ? "a needle in frame \($0)" : "hay \($0)" }
            let path = try files.write("search.jsonl", [TrafficEvents.opened(1)] + TrafficEvents.texts(texts))
            let feed = RecordingFeed(reader: try RecordingReader(path: path), filter: RecordingFilter())
            await RecordingViewer.feed(feed, to: inbox, rows: rows)
            _ = inbox.drain()
            searcher = RecordingSearcher(path: path, rows: rows, inbox: inbox)
        }

        /// The report that ends a search (progress reports are passed over).
        func search(_ text: String, from: Int?, forward: Bool, id: Int) async -> RecordingSearchReport? {
            searcher.start(
                RecordingSearchRequest(id: id, text: text, from: from, forward: forward, filter: nil, shown: 0..<20))
            var report: RecordingSearchReport?
            _ = await waitUntil {
                for case .recordingSearch(let seen) in inbox.drain() {
                    if case .progress = seen { continue }
                    report = seen
                }
                return report != nil
            }
            return report
        }
    }

    @Test func forwardFindsTheNextMatchAndWrapsRound() async throws {
        let viewer = try await Viewer()
        defer { viewer.files.remove() }
        guard case .found(1, 5, _, false) = await viewer.search("needle", from: nil, forward: true, id: 1) else {
            Issue.record("the first match from the top is frame 5")
            return
        }
        guard case .found(2, 15, _, false) = await viewer.search("needle", from: 5, forward: true, id: 2) else {
            Issue.record("after frame 5 comes frame 15")
            return
        }
        guard case .found(3, 5, _, true) = await viewer.search("needle", from: 15, forward: true, id: 3) else {
            Issue.record("after frame 15 the search wraps round to frame 5")
            return
        }
    }

    @Test func backwardFindsThePreviousMatchAndWrapsRound() async throws {
        let viewer = try await Viewer()
        defer { viewer.files.remove() }
        guard case .found(1, 5, _, false) = await viewer.search("needle", from: 15, forward: false, id: 1) else {
            Issue.record("before frame 15 comes frame 5")
            return
        }
        guard case .found(2, 15, _, true) = await viewer.search("needle", from: 5, forward: false, id: 2) else {
            Issue.record("before frame 5 the search wraps round to frame 15")
            return
        }
    }

    @Test func noMatchLooksAtEveryRowOnce() async throws {
        let viewer = try await Viewer()
        defer { viewer.files.remove() }
        guard case .notFound(7, looked: 20) = await viewer.search("absent", from: 3, forward: true, id: 7) else {
            Issue.record("no frame says 'absent': all 20 looked at")
            return
        }
    }
}
