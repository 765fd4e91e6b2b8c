/// Why a recording cannot be read (or written), with the line where it went wrong.
public enum RecordingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file cannot be opened or read.
    case cannotRead(path: String, reason: String)
    /// The file cannot be created or written.
    case cannotWrite(path: String, reason: String)
    /// The first line is not a recording header this version understands.
    case badHeader(path: String, reason: String)
    /// A line that is not a valid event.
    case badLine(path: String, lineNumber: Int, reason: String)
    /// An event index outside the recording.
    case noSuchEvent(index: Int, count: Int)

    /// The file and line (`path:line:`), then what is wrong.
    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "\(path): cannot read: \(reason)"
        case .cannotWrite(let path, let reason): return "\(path): cannot write: \(reason)"
        case .badHeader(let path, let reason): return "\(path):1: not a wstap recording: \(reason)"
        case .badLine(let path, let lineNumber, let reason): return "\(path):\(lineNumber): \(reason)"
        case .noSuchEvent(let index, let count): return "no event \(index): the recording has \(count) events"
        }
    }
}
