public import WSTapCore

extension TrafficEventHandler {
    /// Events to the terminal UI and, while it records, to the recording switch (the bytes too).
    public static func userInterface(_ inbox: UIEventInbox, _ recording: RecordingSwitch) -> TrafficEventHandler {
        TrafficEventHandler(streamBytes: { recording.recordStreamBytes($0, connection: $1, direction: $2) }) {
            event in
            recording.record(event)
            inbox.add(event)
        }
    }
}
