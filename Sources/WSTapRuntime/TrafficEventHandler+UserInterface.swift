public import WSTapCore

extension TrafficEventHandler {
    /// Events to the terminal UI and, while it records, to the recording switch (the bytes too); message
    /// events are passed by (the screen joins messages from the frames).
    public static func userInterface(_ inbox: UIEventInbox, _ recording: RecordingSwitch) -> TrafficEventHandler {
        TrafficEventHandler(streamBytes: { recording.recordStreamBytes($0, connection: $1, direction: $2) }) {
            event in
            // The screen joins messages from the frames itself; they would only take room in the inbox.
            if case .message = event { return }
            recording.record(event)
            inbox.add(event)
        }
    }
}
