import WSTapRuntime

extension TrafficSink {
    /// Events to the terminal UI and, while it records, to the recording switch.
    static func userInterface(_ inbox: UIEventInbox, _ recording: RecordingSwitch) -> TrafficSink {
        TrafficSink(
            event: { event in
                recording.record(event)
                inbox.add(event)
            },
            streamBytes: { recording.recordStreamBytes($0, connection: $1, direction: $2) })
    }
}
