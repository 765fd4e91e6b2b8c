/// The first line of a recording: what it is and who made it, when.
public struct RecordingHeader: Hashable, Sendable {
    /// The format name every recording carries on its first line.
    public static let formatName = "wstap-recording"
    /// The format version this code writes (and the newest it reads).
    public static let currentVersion = 1

    /// The format version of the file.
    public var version: Int
    /// The version of wstap that wrote the file.
    public var wstapVersion: String
    /// Proxy, client or server.
    public var mode: RecordingMode
    /// When recording started: seconds since 1970-01-01 UTC.
    public var startedAt: Double
    /// The monotonic clock (nanoseconds) when recording started, so event times can be made relative.
    public var startedMonotonicNanoseconds: UInt64
    /// The name (not path) of the side file holding large frames, next to the recording.
    public var sideFileName: String?

    /// A header in the current format version, with no side file unless one is named.
    public init(
        version: Int = RecordingHeader.currentVersion, wstapVersion: String, mode: RecordingMode, startedAt: Double,
        startedMonotonicNanoseconds: UInt64, sideFileName: String? = nil
    ) {
        self.version = version
        self.wstapVersion = wstapVersion
        self.mode = mode
        self.startedAt = startedAt
        self.startedMonotonicNanoseconds = startedMonotonicNanoseconds
        self.sideFileName = sideFileName
    }
}
