import NIOConcurrencyHelpers
public import NIOCore
public import WSTapCore
public import WSTapSession
import WSTapUI

/// A recording the terminal UI turns on and off while traffic flows. Started mid-session, it takes
/// each frame's wire bytes from the frame event (exact while the payload is within the capture limit);
/// started with `--record`, it takes them from the relayed stream bytes like the headless proxy.
///
/// The sources see it as their ``TrafficBackpressure``: behind while the recorder is, and it tells the
/// UI (the status bar's `REC behind`, and a note).
public final class RecordingSwitch: TrafficBackpressure, Sendable {
    private let recorder = NIOLockedValueBox<SessionRecorder?>(nil)
    private let usesStreamBytes = NIOLockedValueBox(false)
    /// What the recordings' headers say was recorded.
    public let mode: RecordingMode
    /// Where it says that the recording fell behind the traffic or caught up.
    private let inbox: UIEventInbox?

    /// A switch that is off; its recordings say they are of `mode`, and it tells `inbox` when the recording
    /// falls behind the traffic and when it catches up.
    public init(mode: RecordingMode = .proxy, inbox: UIEventInbox? = nil) {
        self.mode = mode
        self.inbox = inbox
    }

    /// Whether the recording under way is behind the traffic.
    public var isBehind: Bool {
        recorder.withLockedValue { $0 }?.isBehind ?? false
    }

    /// Calls `action` once the recording under way has caught up (at once without one).
    public func whenCaughtUp(_ action: @escaping @Sendable () -> Void) {
        // A recorder stopped meanwhile runs its waiting actions as it closes.
        guard let current = recorder.withLockedValue({ $0 }) else { return action() }
        current.whenCaughtUp(action)
    }

    /// Starts recording to `path`; `fromStreamStart` when every relayed byte will be handed over.
    public func start(path: String, fromStreamStart: Bool = false) throws {
        let options = RecorderOptions(wireSource: fromStreamStart ? .streamBytes : .frameEvents)
        let inbox = self.inbox
        let new = try RecordingOption.open(path, mode: mode, options: options) { behind in
            inbox?.add(.recordingBehind(behind))
            inbox?.add(RecordingOption.note(behind: behind))
        }
        let old = recorder.withLockedValue { current in
            defer { current = new }
            return current
        }
        usesStreamBytes.withLockedValue { $0 = fromStreamStart }
        old?.close()
    }

    /// Stops recording; returns the file and its line count, if one was being written.
    @discardableResult
    public func stop() -> (path: String, lines: Int)? {
        guard
            let old = recorder.withLockedValue({ current in
                defer { current = nil }
                return current
            })
        else { return nil }
        old.close()
        return (old.path, old.lineCount)
    }

    /// Records an event, while recording.
    public func record(_ event: TrafficEvent) {
        recorder.withLockedValue { $0 }?.record(event)
    }

    /// Records bytes relayed on a connection, while recording from the stream's start.
    public func recordStreamBytes(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection) {
        guard usesStreamBytes.withLockedValue({ $0 }) else { return }
        recorder.withLockedValue { $0 }?.recordStreamBytes(bytes, connection: connection, direction: direction)
    }
}

extension RecordingSwitch {
    /// `r` in the UI: starts recording and tells the UI how it went.
    public func start(path: String, reportingTo inbox: UIEventInbox) {
        do {
            try start(path: path)
            inbox.add(.recordingChanged(path: path))
            inbox.add(.notice("recording to \(path)"))
        } catch {
            inbox.add(.recordingChanged(path: nil))
            inbox.add(.notice("\(error)"))
        }
    }

    /// `r` again: stops recording and tells the UI where it went.
    public func stop(reportingTo inbox: UIEventInbox) {
        inbox.add(.recordingChanged(path: nil))
        if let done = stop() {
            inbox.add(
                .notice("recording written: \(done.path) (\(CountWords.of(done.lines, "line")); wstap view reads it)"))
        }
    }
}
