import Foundation
import NIOConcurrencyHelpers
import WSTapCore
import WSTapSession
import WSTapUI

/// `wstap view` in the terminal UI: a thread reads the recording and hands its events to the UI in
/// batches (so a big file opens at once and fills in), the UI shows them as the proxy's UI would. `/`,
/// `n` and `N` search every frame's whole payload in the file (``RecordingSearcher``), not only the
/// payloads the UI still holds.
enum RecordingViewer {
    /// At most this many events read and waiting for the UI (two of its batches).
    static let readAhead = 50_000

    static func show(_ reader: RecordingReader, filter: RecordingFilter) throws {
        let inbox = UIEventInbox()
        let stop = NIOLockedValueBox(false)
        let path = reader.path
        let eventCount = reader.eventCount
        let torn = reader.tornLine.map { "\($0)" }
        let box = UncheckedReader(reader: reader, filter: filter)
        let rows = RecordedRows()
        let searcher = RecordingSearcher(path: path, rows: rows, inbox: inbox)
        let thread = Thread {
            var read = 0
            for result in box.reader.events() {
                if stop.withLockedValue({ $0 }) { return }
                switch result {
                case .success(let recorded):
                    read += 1
                    if Self.shows(recorded.event, filter: box.filter), let sequence = inbox.add(recorded.event) {
                        rows.add(sequence: sequence, eventIndex: recorded.index)
                    }
                case .failure(let error):
                    inbox.add(.notice("\(error)"))
                    return
                }
                // Let the screen keep up with a big file, and keep only a few of the UI's batches waiting:
                // events read ahead hold their payloads, which the recording keeps anyway.
                if read % 1_000 == 0 {
                    while inbox.pendingTrafficCount > Self.readAhead, !stop.withLockedValue({ $0 }) { usleep(5_000) }
                }
            }
            var notice = "\(path): \(read) of \(eventCount) events read"
            if let torn { notice += "; \(torn)" }
            inbox.add(.notice(notice))
        }
        thread.name = "wstap-view-reader"
        thread.start()
        defer {
            stop.withLockedValue { $0 = true }
            searcher.stop()
        }
        var state = UIState(mode: .viewer, upstream: path)
        state.searchesRecording = true
        try TerminalUI.runHere(state, inbox: inbox) { effect in
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
}

extension RecordingViewer {
    /// Whether the screen takes an event: those the filter keeps, and the opening, closing and framing of
    /// every connection it keeps whatever the frame criteria (`--dir`, `--opcode`, `--grep`), so that the
    /// connections list says which are open, closed or failed. They make no rows in the frame list.
    static func shows(_ event: TrafficEvent, filter: RecordingFilter) -> Bool {
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

/// The reader and its filter, handed to the one thread that uses them.
private struct UncheckedReader: @unchecked Sendable {
    let reader: RecordingReader
    let filter: RecordingFilter
}
