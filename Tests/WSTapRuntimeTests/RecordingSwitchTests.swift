import NIOCore
import Testing
import WSTapCore
import WSTapRuntime
import WSTapSession

/// The recording the terminal UI turns on and off (`r`) while traffic flows.
@Suite struct RecordingSwitchTests {
    /// The payload texts of a recording's frames.
    private func texts(_ path: String) throws -> [String?] {
        let reader = try RecordingReader(path: path)
        return try reader.events().map { try $0.get().event }.compactMap { event in
            guard case .frame = event else { return nil }
            return TrafficEvents.text(of: event)
        }
    }

    @Test func offItRecordsNothingAndStopSaysSo() throws {
        let recording = RecordingSwitch()
        for event in TrafficEvents.texts(["lost"]) { recording.record(event) }
        #expect(recording.stop() == nil)
    }

    @Test func itRecordsWhatCameWhileOnOnly() throws {
        let files = try RecordingFiles("switch")
        defer { files.remove() }
        let recording = RecordingSwitch(mode: .client)
        let events = TrafficEvents.texts(["before", "one", "two", "after"])
        recording.record(events[0])
        try recording.start(path: files.path("on.jsonl"))
        recording.record(events[1])
        recording.record(events[2])
        let done = recording.stop()
        recording.record(events[3])
        #expect(done?.path == files.path("on.jsonl"))
        #expect(try texts(files.path("on.jsonl")) == ["one", "two"])
        #expect(try RecordingReader(path: files.path("on.jsonl")).header.mode == .client)
    }

    /// Started again while on: the first recording is finished (complete and readable), the second goes on.
    @Test func startingAgainFinishesTheFirstRecording() throws {
        let files = try RecordingFiles("switch-again")
        defer { files.remove() }
        let recording = RecordingSwitch()
        let events = TrafficEvents.texts(["first", "second"])
        try recording.start(path: files.path("a.jsonl"))
        recording.record(events[0])
        try recording.start(path: files.path("b.jsonl"))
        recording.record(events[1])
        recording.stop()
        #expect(try texts(files.path("a.jsonl")) == ["first"])
        #expect(try texts(files.path("b.jsonl")) == ["second"])
    }

    /// With `fromStreamStart` the frames' wire bytes come from the relayed stream; otherwise the stream's
    /// bytes are not wanted and are ignored.
    @Test func streamBytesCountOnlyFromTheStreamStart() throws {
        let files = try RecordingFiles("switch-stream")
        defer { files.remove() }
        let recording = RecordingSwitch()
        let wire = (try? FrameEncoder.encode(.text("exact"))) ?? []
        let events = TrafficEvents.texts(["exact"])
        try recording.start(path: files.path("stream.jsonl"), fromStreamStart: true)
        recording.recordStreamBytes(ByteBuffer(bytes: wire), connection: 1, direction: .serverToClient)
        recording.record(events[0])
        recording.stop()
        let recorded = try RecordingReader(path: files.path("stream.jsonl")).event(at: 0)
        #expect(recorded.wireBytes.map { Array($0.readableBytesView) } == wire)

        try recording.start(path: files.path("events.jsonl"))
        recording.recordStreamBytes(ByteBuffer(bytes: [0xde, 0xad]), connection: 1, direction: .serverToClient)
        recording.record(events[0])
        recording.stop()
        let fromEvents = try RecordingReader(path: files.path("events.jsonl")).event(at: 0)
        #expect(fromEvents.wireBytes.map { Array($0.readableBytesView) } == wire)
    }

    /// `r` in the UI: the switch says in the inbox what happened, a failure included.
    @Test func theUIIsToldWhereTheRecordingWent() throws {
        let files = try RecordingFiles("switch-ui")
        defer { files.remove() }
        let recording = RecordingSwitch()
        let inbox = UIEventInbox()
        let path = files.path("ui.jsonl")
        recording.start(path: path, reportingTo: inbox)
        var told = UIEvents(draining: inbox)
        #expect(told.recordingChanges == [path])
        #expect(told.notices == ["recording to \(path)"])
        for event in TrafficEvents.texts(["x", "y"]) { recording.record(event) }
        recording.stop(reportingTo: inbox)
        told = UIEvents(draining: inbox)
        #expect(told.recordingChanges == [nil])
        // How many lines the notice counts is the recorder's (SessionRecorder.lineCount).
        #expect(told.notices.count == 1)
        #expect(told.notices.first?.hasPrefix("recording written: \(path) (") == true)
        #expect(told.notices.first?.hasSuffix(" lines; wstap view reads it)") == true)

        recording.start(path: files.path("no/such/folder/x.jsonl"), reportingTo: inbox)
        told = UIEvents(draining: inbox)
        #expect(told.recordingChanges == [nil])
        #expect(told.notices.count == 1)
        #expect(told.notices.first?.hasPrefix("--record: ") == true)
        #expect(recording.stop() == nil)
    }

    /// `--record FILE` as the UI opens: recorded from the stream's start and said to the UI; a file that
    /// cannot be made is an error said once (`connect` and `serve` used to say `--record: --record: ...`).
    @Test func theCommandLineRecordingStartsWithTheUIOrSaysWhyNot() throws {
        let files = try RecordingFiles("switch-command-line")
        defer { files.remove() }
        let recording = RecordingSwitch(mode: .server)
        let inbox = UIEventInbox()
        try recording.start(commandLine: nil, reportingTo: inbox)
        #expect(recording.stop() == nil)
        try recording.start(commandLine: files.path("cl.jsonl"), reportingTo: inbox)
        #expect(UIEvents(draining: inbox).recordingChanges == [files.path("cl.jsonl")])
        #expect(recording.stop()?.path == files.path("cl.jsonl"))
        #expect {
            try recording.start(commandLine: files.path("no/folder/x.jsonl"), reportingTo: inbox)
        } throws: { error in
            "\(error)".hasPrefix("--record: ") && !"\(error)".hasPrefix("--record: --record")
        }
    }
}
