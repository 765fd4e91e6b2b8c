public import Foundation
import NIOCore
public import WSTapCore

/// Which events of a recording to show: by connection, direction, opcode and a regular expression over
/// the payload text. Unset criteria match everything; a direction, opcode or pattern keeps only frames
/// (and, for a direction alone, raw bytes).
public struct RecordingFilter {
    /// Keep only this connection's events.
    public var connection: UInt64?
    /// Keep only frames (and raw bytes) going this way.
    public var direction: TrafficDirection?
    /// Keep only frames with this opcode (hybi-00 frames count as text or close).
    public var opcode: Opcode?
    /// Matched against a frame's payload as text (invalid UTF-8 repaired) and its inflated payload.
    public var pattern: NSRegularExpression?

    /// A filter with these criteria; with none it keeps everything.
    public init(
        connection: UInt64? = nil, direction: TrafficDirection? = nil, opcode: Opcode? = nil,
        pattern: NSRegularExpression? = nil
    ) {
        self.connection = connection
        self.direction = direction
        self.opcode = opcode
        self.pattern = pattern
    }

    /// Whether no criterion is set.
    public var isEmpty: Bool { connection == nil && direction == nil && opcode == nil && pattern == nil }

    /// Whether `event` passes every criterion that is set.
    public func matches(_ event: TrafficEvent) -> Bool {
        switch event {
        case .frame(let seen):
            if let connection, seen.connection != connection { return false }
            if let direction, seen.direction != direction { return false }
            if let opcode, !Self.frame(seen.content, has: opcode) { return false }
            if let pattern {
                let payload: String
                switch seen.content {
                case .rfc6455(let frame): payload = String(decoding: frame.payload.readableBytesView, as: UTF8.self)
                case .hybi00(let frame): payload = String(decoding: frame.payload.readableBytesView, as: UTF8.self)
                }
                let inflated = seen.inflatedPayload.map { String(decoding: $0.readableBytesView, as: UTF8.self) }
                return Self.search(pattern, payload) || inflated.map { Self.search(pattern, $0) } == true
            }
            return true
        case .message(let message):
            // Recordings hold frames; a message matches as its frames would, but for the opcode.
            if let connection, message.connection != connection { return false }
            if let direction, message.direction != direction { return false }
            if opcode != nil { return false }
            if let pattern {
                return Self.search(pattern, String(decoding: message.payload.readableBytesView, as: UTF8.self))
            }
            return true
        case .leftoverBytes(let connection, let direction, _, _):
            if opcode != nil || pattern != nil { return false }
            if let wanted = self.connection, connection != wanted { return false }
            if let wanted = self.direction, direction != wanted { return false }
            return true
        case .connectionOpened(let opened):
            return isConnectionEvent(opened.connection)
        case .connectionClosed(let closed):
            return isConnectionEvent(closed.connection)
        case .framingChanged(let change):
            return isConnectionEvent(change.connection)
        case .note(let connection, _, _):
            guard direction == nil, opcode == nil, pattern == nil else { return false }
            return self.connection == nil || connection == self.connection
        case .proxyError:
            return isEmpty
        }
    }

    private func isConnectionEvent(_ number: UInt64) -> Bool {
        guard direction == nil, opcode == nil, pattern == nil else { return false }
        return connection == nil || connection == number
    }

    /// Whether a frame has the opcode; hybi-00 frames count as text or close by their kind.
    static func frame(_ content: TrafficEvent.FrameSeen.Content, has opcode: Opcode) -> Bool {
        switch content {
        case .rfc6455(let frame): return frame.header.opcode == opcode
        case .hybi00(let frame): return (opcode == .text && frame.isText) || (opcode == .close && frame.isClose)
        }
    }

    private static func search(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
