/// A search that the viewer runs over the recording on disk (every frame's whole payload), asked for by
/// ``UIEffect/searchRecording(_:)`` when ``UIState/searchesRecording`` is set. Rows are named by their
/// sequence numbers; the glue knows which recorded event each one came from.
public struct RecordingSearchRequest: Hashable, Sendable {
    /// Names the search in its reports; a new search (or Esc) makes the older reports stale.
    public var id: Int
    /// The search as typed (``SearchQuery/parse(_:)`` reads it).
    public var text: String
    /// The row to start after (before, going backward); the search wraps and ends with this row itself.
    /// `nil`: start at the first row (the last, going backward).
    public var from: Int?
    /// Whether to search toward newer rows (`n`, `/`) or older ones (`N`).
    public var forward: Bool
    /// The list's filter: only frames that pass it can match.
    public var filter: FrameFilter?
    /// The sequence numbers of the frames the list can show (held, and not after a pause).
    public var shown: Range<Int>

    /// A request with all its parts.
    public init(id: Int, text: String, from: Int?, forward: Bool, filter: FrameFilter?, shown: Range<Int>) {
        self.id = id
        self.text = text
        self.from = from
        self.forward = forward
        self.filter = filter
        self.shown = shown
    }
}
