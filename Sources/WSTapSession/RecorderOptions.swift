/// How a ``SessionRecorder`` writes.
public struct RecorderOptions: Sendable {
    /// Where the exact wire bytes of frames come from.
    public enum WireSource: Sendable {
        /// From the bytes handed to ``SessionRecorder/recordStreamBytes(_:connection:direction:)``, cut at
        /// each frame's stream offset: every byte is kept, however large the frame (the proxy's way).
        case streamBytes
        /// From each frame event itself: exact only when the event holds the whole payload.
        case frameEvents
    }

    /// Where frames' wire bytes come from: the relayed byte stream (every byte) or the frame events.
    public var wireSource: WireSource
    /// Frames (and raw runs) with more wire bytes than this go to the side file instead of the line.
    public var inlineWireLimit: Int
    /// A frame whose wire bytes are in its line also gets its payload as `text` (readable, searchable)
    /// when the payload is valid UTF-8 of at most this many bytes and the frame is not binary; 0 for
    /// never. Larger payloads are only in `wire` (docs/recording-format.md).
    public var textLimit: Int
    /// When this many bytes wait to be written, whoever records waits for the writer (so memory stays
    /// bounded if the disk is slower than the traffic).
    public var maxQueuedBytes: Int

    /// The default ``textLimit``.
    public static let defaultTextLimit = 4 << 10

    /// Options that take wire bytes from the relayed streams, keep frames up to 64 KiB in their line (and text
    /// up to 4 KiB readable), and let up to 64 MiB wait for the writer, unless told otherwise.
    public init(
        wireSource: WireSource = .streamBytes, inlineWireLimit: Int = 64 << 10, textLimit: Int = defaultTextLimit,
        maxQueuedBytes: Int = 64 << 20
    ) {
        self.wireSource = wireSource
        self.inlineWireLimit = inlineWireLimit
        self.textLimit = textLimit
        self.maxQueuedBytes = maxQueuedBytes
    }
}
