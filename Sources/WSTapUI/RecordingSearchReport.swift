/// What the glue says about a ``RecordingSearchRequest`` while and after it runs (through
/// ``UIEvent/recordingSearch(_:)``). Reports of a search that is no longer the current one are ignored.
public enum RecordingSearchReport: Hashable, Sendable {
    /// `looked` of the `total` frames to search were searched.
    case progress(id: Int, looked: Int, total: Int)
    /// The frame with this sequence number matches at byte `offset` of its payload (`nil`: in the words its
    /// row shows besides the payload, a close code's name); `wrapped` when the search went past the end (the
    /// start, going backward) to find it.
    case found(id: Int, sequence: Int, offset: Int?, wrapped: Bool)
    /// No frame it searched matches (`looked` frames searched).
    case notFound(id: Int, looked: Int)
    /// The search stopped: the recording could not be read (the reason says where and why).
    case failed(id: Int, reason: String)

    /// The search the report is about.
    public var id: Int {
        switch self {
        case .progress(let id, _, _), .found(let id, _, _, _), .notFound(let id, _), .failed(let id, _): return id
        }
    }
}
