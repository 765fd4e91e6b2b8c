public import WSTapCore
public import WSTapSession

/// `--record FILE` for the commands that record.
public enum RecordingOption {
    /// Opens the recorder, or explains why it cannot. `notes` hears the ``note(behind:)`` events when the
    /// recorder falls behind the traffic and when it catches up.
    public static func open(
        _ path: String, mode: RecordingMode, options: RecorderOptions = RecorderOptions(),
        notes: (@Sendable (TrafficEvent) -> Void)? = nil
    ) throws -> SessionRecorder {
        var behindChanged: (@Sendable (Bool) -> Void)? = nil
        if let notes { behindChanged = { behind in notes(note(behind: behind)) } }
        return try open(path, mode: mode, options: options, behindChanged: behindChanged)
    }

    /// Opens the recorder, or explains why it cannot; `behindChanged` hears when it falls behind the traffic
    /// (true) and when it catches up (false).
    public static func open(
        _ path: String, mode: RecordingMode, options: RecorderOptions = RecorderOptions(),
        behindChanged: (@Sendable (Bool) -> Void)?
    ) throws -> SessionRecorder {
        do {
            return try SessionRecorder(
                path: path, mode: mode, wstapVersion: WSTapVersion.string, startedAt: SessionClock.now(),
                options: options, behindChanged: behindChanged)
        } catch {
            throw CommandFailure("--record: \(error)")
        }
    }

    /// The note that says the recording fell behind the traffic, so the connections stopped reading (true),
    /// or caught up, so they read again (false).
    public static func note(behind: Bool) -> TrafficEvent {
        .note(
            connection: nil,
            text: behind ? "recording behind the traffic: reading paused" : "recording caught up: reading resumed",
            at: SessionClock.now())
    }
}
