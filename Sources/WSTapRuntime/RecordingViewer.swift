public import WSTapCore
public import WSTapLenses
public import WSTapSession
import WSTapUI

/// `wstap view` in the terminal UI: the recording is read in batches and its events handed to the UI (so a
/// big file opens at once and fills in), the UI shows them as the proxy's UI would. `/`, `n` and `N` search
/// every frame's whole payload in the file (``RecordingSearcher``), not only the payloads the UI still holds.
public enum RecordingViewer {
    /// At most this many events read and waiting for the UI (two of its batches).
    public static let readAhead = 50_000

    /// Shows the events of `reader` that `filter` keeps until the user quits.
    public static func show(
        _ reader: RecordingReader, filter: RecordingFilter, lenses: LensReader.Choice = .automatic
    ) async throws {
        let inbox = UIEventInbox()
        let rows = RecordedRows()
        let searcher = RecordingSearcher(path: reader.path, rows: rows, inbox: inbox)
        let recording = RecordingFeed(reader: reader, filter: filter)
        let feeder = Task { await feed(recording, to: inbox, rows: rows) }
        defer {
            feeder.cancel()
            searcher.stop()
        }
        let path = reader.path
        var state = UIState(mode: .viewer, upstream: path, lenses: lenses)
        state.searchesRecording = true
        try await TerminalUI.run(state, inbox: inbox) { effect in
            switch effect {
            case .quit: break
            case .searchRecording(let request): searcher.start(request)
            case .stopRecordingSearch: searcher.stop()
            case .setFraming(let connection, let framing):
                RecordedFramingSwitch.start(path: path, connection: connection, framing: framing, inbox: inbox)
            default: inbox.add(.notice("this is a recording: nothing here can be sent, held or recorded"))
            }
        }
    }

    /// Reads the whole recording into `inbox` (noting each frame row's event in `rows`), a batch at a time,
    /// waiting while more than `readAhead` events wait for the screen: events read ahead hold their
    /// payloads, which the recording keeps anyway. Ends with a notice that says how much was read, or what
    /// line could not be; stops early when the task is cancelled.
    static func feed(
        _ feed: RecordingFeed, to inbox: UIEventInbox, rows: RecordedRows, batch: Int = 1_000,
        readAhead: Int = readAhead
    ) async {
        while !Task.isCancelled {
            let outcome: RecordingFeed.Batch
            do {
                outcome = try await BlockingWork.run { feed.next(batch, to: inbox, rows: rows) }
            } catch {
                inbox.add(.notice("\(feed.path): \(error)"))
                return
            }
            switch outcome {
            case .more:
                await inbox.waitForRoom(atMost: readAhead)
            case .failed(let error):
                inbox.add(.notice("\(error)"))
                return
            case .done(let read):
                var notice = "\(feed.path): \(read) of \(feed.eventCount) events read"
                if let torn = feed.tornLine { notice += "; \(torn)" }
                inbox.add(.notice(notice))
                return
            }
        }
    }
}

/// A recording read in order, a batch at a time, into the viewer's inbox. Used by one task at a time (each
/// batch on a thread of ``BlockingWork``'s, one after the other), which is what makes it safe to send.
final class RecordingFeed: @unchecked Sendable {
    /// How a batch ended.
    enum Batch {
        /// The batch is read; more follow.
        case more
        /// Every event is read: how many.
        case done(read: Int)
        /// A line could not be read: reading stops there.
        case failed(RecordingError)
    }

    private var events: RecordingReader.Events
    private let filter: RecordingFilter
    private var read = 0
    let path: String
    let eventCount: Int
    let tornLine: String?

    init(reader: RecordingReader, filter: RecordingFilter) {
        events = reader.events()
        self.filter = filter
        path = reader.path
        eventCount = reader.eventCount
        tornLine = reader.tornLine.map { "\($0)" }
    }

    /// Reads up to `count` events, hands those the viewer shows to `inbox` and notes their rows.
    func next(_ count: Int, to inbox: UIEventInbox, rows: RecordedRows) -> Batch {
        for _ in 0..<count {
            switch events.next() {
            case nil:
                return .done(read: read)
            case .success(let recorded):
                read += 1
                if RecordingViewer.shows(recorded.event, filter: filter), let sequence = inbox.add(recorded.event) {
                    rows.add(sequence: sequence, eventIndex: recorded.index)
                }
            case .failure(let error):
                return .failed(error)
            }
        }
        return .more
    }
}

extension RecordingViewer {
    /// Whether the screen takes an event: those the filter keeps, and the opening, closing and framing of
    /// every connection it keeps whatever the frame criteria (`--dir`, `--opcode`, `--grep`), so that the
    /// connections list says which are open, closed or failed. They make no rows in the frame list.
    public static func shows(_ event: TrafficEvent, filter: RecordingFilter) -> Bool {
        if filter.matches(event) { return true }
        let connection: UInt64
        switch event {
        case .connectionOpened(let opened): connection = opened.connection
        case .connectionClosed(let closed): connection = closed.connection
        case .framingChanged(let change): connection = change.connection
        case .frame, .message, .leftoverBytes, .note, .proxyError: return false
        }
        return filter.connection == nil || filter.connection == connection
    }
}
