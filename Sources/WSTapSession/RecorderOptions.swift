public import NIOCore

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
    /// When more than this many bytes wait to be written, the recorder is behind the traffic: the sources
    /// stop reading their sockets (see ``SessionRecorder/isBehind``), so memory stays bounded if the disk is
    /// slower than the traffic. Nothing is dropped and nobody waits.
    public var highWaterMark: Int
    /// Once behind, the recorder catches up (the sources read again) when no more than this many bytes wait.
    public var lowWaterMark: Int
    /// How long the writer waits after the first item queued while it was idle, so that it takes what comes
    /// meanwhile in the same batch (one hand-over to it and one `write` for many frames). Lines reach the disk at
    /// most this much later.
    public var batchDelay = TimeAmount.milliseconds(1)

    /// The default ``textLimit``.
    public static let defaultTextLimit = 4 << 10

    /// The default ``highWaterMark``: 8 MiB.
    public static let defaultHighWaterMark = 8 << 20
    /// The default ``lowWaterMark``: 2 MiB.
    public static let defaultLowWaterMark = 2 << 20

    /// Options that take wire bytes from the relayed streams, keep frames up to 64 KiB in their line (and text
    /// up to 4 KiB readable), and pause the sources while more than 8 MiB wait for the writer (until 2 MiB are
    /// left), unless told otherwise.
    public init(
        wireSource: WireSource = .streamBytes, inlineWireLimit: Int = 64 << 10, textLimit: Int = defaultTextLimit,
        highWaterMark: Int = defaultHighWaterMark, lowWaterMark: Int = defaultLowWaterMark
    ) {
        self.wireSource = wireSource
        self.inlineWireLimit = inlineWireLimit
        self.textLimit = textLimit
        self.highWaterMark = highWaterMark
        self.lowWaterMark = lowWaterMark
    }
}
