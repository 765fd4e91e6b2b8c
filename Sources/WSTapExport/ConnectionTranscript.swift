public import NIOCore
public import WSTapCore

/// Everything recorded about one connection, in order: its opening, the bytes each peer sent (as frames
/// and as leftover bytes that never made a frame), and its end.
///
/// Exporters and the replayer read transcripts rather than raw event streams. Only what the peers
/// themselves wrote is kept (frames whose disposition ``FrameDisposition/isFromSender``); frames a user
/// injected or edited through the proxy are left out, so a transcript is the conversation as the two
/// peers held it. When a hybi-00 connection was decoded again in another framing, the frames reported
/// again replace the earlier ones (a framing switch that applies from the next frame on is not kept:
/// replay reads such a connection in its opening framing).
public struct ConnectionTranscript: Sendable {
    /// One piece of what a peer sent.
    public enum Item: Sendable {
        /// A frame, decoded, with its exact wire bytes (`nil` when its payload was recorded only in part).
        case frame(TrafficEvent.FrameSeen, wireBytes: ByteBuffer?)
        /// Bytes that did not make up a frame when the stream ended.
        case leftover(direction: TrafficDirection, bytes: ByteBuffer, at: TrafficTimestamp)

        /// Which way the bytes went.
        public var direction: TrafficDirection {
            switch self {
            case .frame(let frame, _): return frame.direction
            case .leftover(let direction, _, _): return direction
            }
        }

        /// When the bytes were seen.
        public var at: TrafficTimestamp {
            switch self {
            case .frame(let frame, _): return frame.at
            case .leftover(_, _, let at): return at
            }
        }
    }

    /// The proxy's (or endpoint's) number for the connection.
    public var connection: UInt64
    /// The opening handshake as recorded; `nil` when the recording lacks it.
    public var opened: TrafficEvent.ConnectionOpened?
    /// Frames and leftover bytes in the order they were seen.
    public var items: [Item]
    /// How the connection ended; `nil` when the recording stops before it did.
    public var closed: TrafficEvent.ConnectionClosed?

    /// A transcript; empty (no handshake, no frames, no close) unless given.
    public init(
        connection: UInt64, opened: TrafficEvent.ConnectionOpened? = nil, items: [Item] = [],
        closed: TrafficEvent.ConnectionClosed? = nil
    ) {
        self.connection = connection
        self.opened = opened
        self.items = items
        self.closed = closed
    }

    /// The frames one peer sent, in order.
    public func frames(_ direction: TrafficDirection) -> [TrafficEvent.FrameSeen] {
        items.compactMap { item in
            if case .frame(let frame, _) = item, frame.direction == direction { return frame }
            return nil
        }
    }

    /// Groups a stream of events into one transcript per connection, in the order connections first
    /// appear. Events outside any connection (proxy errors, global notes) are skipped.
    public static func group(_ events: some Sequence<TrafficEvent>) -> [ConnectionTranscript] {
        group(recorded: events.lazy.map { ($0, nil) })
    }

    /// Groups events read back from a recording, each with the wire bytes the recording kept for it
    /// (used as they are; `nil` rebuilds them from the decoded frame).
    public static func group(
        recorded events: some Sequence<(TrafficEvent, ByteBuffer?)>
    ) -> [ConnectionTranscript] {
        var order: [UInt64] = []
        var transcripts: [UInt64: ConnectionTranscript] = [:]
        func update(_ id: UInt64, _ change: (inout ConnectionTranscript) -> Void) {
            if transcripts[id] == nil { order.append(id) }
            change(&transcripts[id, default: ConnectionTranscript(connection: id)])
        }
        for (event, wireBytes) in events {
            switch event {
            case .connectionOpened(let opened):
                update(opened.connection) { $0.opened = opened }
            case .frame(let frame):
                guard frame.disposition.isFromSender else { continue }
                let bytes = wireBytes ?? RecordedFrameBytes.of(frame)
                update(frame.connection) { $0.items.append(.frame(frame, wireBytes: bytes)) }
            case .leftoverBytes(let connection, let direction, let bytes, let at):
                update(connection) { $0.items.append(.leftover(direction: direction, bytes: bytes, at: at)) }
            case .connectionClosed(let closed):
                update(closed.connection) { $0.closed = closed }
            case .framingChanged(let change):
                // Redecoded: the frames so far are reported again in the new framing; keep only those.
                guard change.redecoded else { continue }
                update(change.connection) { transcript in
                    transcript.items.removeAll()
                    transcript.opened?.framing = change.framing
                }
            case .proxyError, .note, .message:
                continue
            }
        }
        return order.compactMap { transcripts[$0] }
    }
}
