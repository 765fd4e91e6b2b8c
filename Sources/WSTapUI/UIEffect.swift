public import WSTapCore

/// Something the UI asks its surroundings to do; ``reduce(_:_:)`` returns these as values and the
/// glue carries them out (and reports back with ``UIEvent``s).
public enum UIEffect: Hashable, Sendable {
    /// Leave the UI.
    case quit
    /// Write bytes as they are on the client connection (`wstap connect`).
    case send(bytes: [UInt8])
    /// Write bytes into one direction of a proxied connection.
    case inject(connection: UInt64, direction: TrafficDirection, bytes: [UInt8])
    /// Say what becomes of a frame held by intercept.
    case decideHeld(holdID: UInt64, decision: HeldFrameDecision)
    /// Turn intercept on or off.
    case setIntercept(Bool)
    /// Switch the hybi-00 framing of a connection.
    case setFraming(connection: UInt64, framing: Hybi00Framing)
    /// Close one side of a proxied connection (TCP).
    case closeSide(connection: UInt64, side: EndpointRole)
    /// Start recording to a file.
    case startRecording(path: String)
    case stopRecording
    /// Read a file for the composer's payload and report it with ``UIEvent/fileLoaded(path:bytes:)``
    /// (or a ``UIEvent/notice(_:)`` saying why not).
    case loadFile(path: String)
    /// Search the recording behind the viewer (whole payloads of every frame) and report with
    /// ``UIEvent/recordingSearch(_:)``; a running search stops first.
    case searchRecording(RecordingSearchRequest)
    /// Stop the running search of the recording (Esc).
    case stopRecordingSearch
}

/// What to do with a held frame.
public enum HeldFrameDecision: Hashable, Sendable {
    /// Forward it unchanged.
    case forward
    /// Never deliver it.
    case drop
    /// Send these bytes instead.
    case replace([UInt8])
}
