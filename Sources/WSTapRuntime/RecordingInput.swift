import Foundation
public import NIOCore
public import WSTapCore
public import WSTapSession

/// Reads a recording for `export` and `replay`: every event in order with the wire bytes the recording
/// kept, or a one-line error naming the file and line.
public enum RecordingInput {
    /// Opens a recording, or explains why it cannot be read.
    public static func open(_ path: String) throws -> RecordingReader {
        do {
            return try RecordingReader(path: path)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Calls `body` with each event (optionally only connection `connection`'s), in order.
    public static func forEach(
        in reader: RecordingReader, connection: UInt64? = nil, _ body: (TrafficEvent, ByteBuffer?) throws -> Void
    ) throws {
        for result in reader.events() {
            switch result {
            case .success(let recorded):
                if let connection, recorded.event.connectionNumber != connection { continue }
                try body(recorded.event, recorded.wireBytes)
            case .failure(let error):
                throw CommandFailure(error.description)
            }
        }
        if let torn = reader.tornLine {
            StandardStreams.error("warning: \(reader.path): \(torn)\n")
        }
    }

    /// Every event (optionally only connection `connection`'s), in order.
    public static func events(in reader: RecordingReader, connection: UInt64? = nil) throws -> [(
        TrafficEvent, ByteBuffer?
    )] {
        var events: [(TrafficEvent, ByteBuffer?)] = []
        try forEach(in: reader, connection: connection) { events.append(($0, $1)) }
        return events
    }
}

extension TrafficEvent {
    /// The connection the event belongs to, if any.
    public var connectionNumber: UInt64? {
        switch self {
        case .connectionOpened(let opened): return opened.connection
        case .frame(let frame): return frame.connection
        case .message(let message): return message.connection
        case .leftoverBytes(let connection, _, _, _): return connection
        case .connectionClosed(let closed): return closed.connection
        case .framingChanged(let change): return change.connection
        case .note(let connection, _, _): return connection
        case .proxyError: return nil
        }
    }
}
