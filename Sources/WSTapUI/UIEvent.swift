public import WSTapCore

/// Everything that can change the UI's state: keys, traffic, the terminal and the clock. Network
/// events and key presses enter the same loop as these.
public enum UIEvent: Sendable {
    case key(Key)
    /// Traffic events gathered since the last redraw, oldest first.
    case traffic([TrafficEvent])
    /// The terminal changed size.
    case resize(ScreenSize)
    /// The clock moved (about once a second): rates and the sparkline roll over.
    case tick(wallSeconds: Double)
    /// A short message for the user from the glue (an effect failed, a file was written...).
    case notice(String)
    /// The glue reports whether recording runs, and to which file.
    case recordingChanged(path: String?)
    /// The glue reports that the recording fell behind the traffic (true: the sources stopped reading until
    /// it catches up) or caught up (false).
    case recordingBehind(Bool)
    /// The glue reports whether intercept is on.
    case interceptChanged(Bool)
    /// The client connection's keepalive ping came back after this long (client mode).
    case roundTrip(Duration)
    /// The glue read the file the composer asked for (``UIEffect/loadFile(path:)``).
    case fileLoaded(path: String, bytes: [UInt8])
    /// The glue's progress or answer for ``UIEffect/searchRecording(_:)``.
    case recordingSearch(RecordingSearchReport)
    /// The glue carried out an effect that sends bytes (``UIEffect/send(bytes:)``,
    /// ``UIEffect/inject(connection:direction:bytes:)``, ``UIEffect/decideHeld(holdID:decision:)``), or
    /// could not (`error` says why). Only frames sent go to the composer's recent list.
    case sendResult(UIEffect, error: String?)
}
