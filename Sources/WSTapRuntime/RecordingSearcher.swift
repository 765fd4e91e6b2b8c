import Foundation
import NIOConcurrencyHelpers
import WSTapCore
import WSTapSession
import WSTapUI

/// Runs the viewer's searches (``UIEffect/searchRecording(_:)``) over the recording on disk, on a thread
/// of ``BlockingWork``'s with a reader of their own, and reports to the UI through the inbox: progress about four
/// times a second, then the matching row or why there is none. A new search or ``stop()`` ends the one
/// that runs.
final class RecordingSearcher: @unchecked Sendable {
    private let path: String
    private let rows: RecordedRows
    private let inbox: UIEventInbox
    /// The id of the search allowed to go on (`nil`: none).
    private let current = NIOLockedValueBox<Int?>(nil)
    /// Held by the search that reads; guards `reader`.
    private let readerLock = NIOLock()
    /// Opened by the first search, kept for the next ones.
    private var reader: RecordingReader?

    init(path: String, rows: RecordedRows, inbox: UIEventInbox) {
        self.path = path
        self.rows = rows
        self.inbox = inbox
    }

    /// Starts a search; the one running stops.
    func start(_ request: RecordingSearchRequest) {
        current.withLockedValue { $0 = request.id }
        Task { try? await BlockingWork.run { self.run(request) } }
    }

    /// Stops the running search (its report is not sent).
    func stop() {
        current.withLockedValue { $0 = nil }
    }

    private func isCurrent(_ id: Int) -> Bool { current.withLockedValue { $0 == id } }

    private func run(_ request: RecordingSearchRequest) {
        readerLock.withLock {
            guard isCurrent(request.id) else { return }
            let report: RecordingSearchReport?
            do {
                if reader == nil { reader = try RecordingReader(path: path) }
                guard let reader else { return }
                report = search(request, in: reader)
            } catch {
                report = .failed(id: request.id, reason: "\(error)")
            }
            if let report, isCurrent(request.id) { inbox.add(.recordingSearch(report)) }
        }
    }

    /// The report for a search; `nil` when it was stopped.
    private func search(_ request: RecordingSearchRequest, in reader: RecordingReader) -> RecordingSearchReport? {
        let query: SearchQuery
        switch SearchQuery.parse(request.text) {
        case .success(let parsed): query = parsed
        case .failure(let error): return .failed(id: request.id, reason: "\(error)")
        }
        let entries = rows.snapshot
        // Positions in `entries` of the rows the list can show.
        let low = entries.lowerBound(request.shown.lowerBound)
        let high = max(low, entries.lowerBound(request.shown.upperBound))
        let total = high - low
        guard total > 0 else { return .notFound(id: request.id, looked: 0) }
        // The positions in the order they are searched: after (before) the starting row to the end (start),
        // then wrapped round, ending with the starting row itself.
        var legs: [(range: Range<Int>, wrapped: Bool)]
        if request.forward {
            let start = request.from.map { min(high, max(low, entries.lowerBound($0 + 1))) } ?? low
            legs = [(start..<high, false), (low..<start, request.from != nil)]
        } else {
            let end = request.from.map { min(high, max(low, entries.lowerBound($0))) } ?? high
            legs = [(low..<end, false), (end..<high, true)]
        }
        var looked = 0
        var lastProgress = Date()
        for leg in legs where !leg.range.isEmpty {
            var outcome: (position: Int, offset: Int?)?
            var failure: String?
            let finished = scan(
                leg.range, forward: request.forward, entries: entries, reader: reader, query: query,
                filter: request.filter, stopped: { !self.isCurrent(request.id) }
            ) { position, result in
                guard isCurrent(request.id) else { return false }
                looked += 1
                switch result {
                case .success(let offset?):
                    outcome = (position, offset)
                    return false
                case .success(nil):
                    break
                case .failure(let error):
                    failure = "\(error)"
                    return false
                }
                if Date().timeIntervalSince(lastProgress) > 0.25 {
                    lastProgress = Date()
                    inbox.add(.recordingSearch(.progress(id: request.id, looked: looked, total: total)))
                }
                return true
            }
            if let failure { return .failed(id: request.id, reason: failure) }
            if let outcome {
                return .found(
                    id: request.id, sequence: entries.sequence(at: outcome.position), offset: outcome.offset,
                    wrapped: leg.wrapped)
            }
            if !finished { return nil }
        }
        return .notFound(id: request.id, looked: looked)
    }

    /// Reads the events of `range`'s entries, in order or from the end (a block at a time read forward, so
    /// that the reader's window is used), and calls `visit` with each one's match (the offset, `nil` for
    /// none, or the error that made it unreadable); `visit` returns `false` to stop, and so does `stopped`
    /// (asked before each event is read). Returns whether the range was searched to its end.
    private func scan(
        _ range: Range<Int>, forward: Bool, entries: RecordedRows.Entries, reader: RecordingReader,
        query: SearchQuery, filter: FrameFilter?, stopped: () -> Bool,
        visit: (_ position: Int, _ match: Result<Int??, RecordingError>) -> Bool
    ) -> Bool {
        func match(_ position: Int) -> Result<Int??, RecordingError> {
            do {
                let recorded = try reader.event(at: entries.eventIndex(at: position))
                guard case .frame(let frame) = recorded.event else { return .success(nil) }
                if let filter, !filter.matches(frame) { return .success(nil) }
                return .success(query.match(in: frame))
            } catch {
                return .failure(error)
            }
        }
        if forward {
            for position in range where !visit(position, match(position)) { return false }
            return true
        }
        // Backward: blocks from the end, each read forward; the last match of a block is the one wanted.
        let block = 256
        var end = range.upperBound
        while end > range.lowerBound {
            let start = max(range.lowerBound, end - block)
            var results: [(Int, Result<Int??, RecordingError>)] = []
            for position in start..<end {
                if stopped() { return false }
                let result = match(position)
                results.append((position, result))
                if case .failure = result { break }
            }
            for (position, result) in results.reversed() where !visit(position, result) { return false }
            end = start
        }
        return true
    }
}
