public import WSTapSession

/// `--record FILE` for the commands that record.
public enum RecordingOption {
    /// Opens the recorder, or explains why it cannot.
    public static func open(_ path: String, mode: RecordingMode, options: RecorderOptions = RecorderOptions()) throws
        -> SessionRecorder
    {
        do {
            return try SessionRecorder(
                path: path, mode: mode, wstapVersion: WSTapVersion.string, startedAt: SessionClock.now(),
                options: options)
        } catch {
            throw CommandFailure("--record: \(error)")
        }
    }
}
